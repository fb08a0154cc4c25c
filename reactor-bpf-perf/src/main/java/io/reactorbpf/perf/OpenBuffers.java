package io.reactorbpf.perf;

import java.util.HashMap;
import java.util.Map;

/**
 * The perf buffers open in this process, one per map: a perf event array has one slot per CPU, so two buffers
 * on the same map would steal each other's slots. Thread-safe; guarded by its own monitor.
 */
final class OpenBuffers {

    /** How long a claim waits for the previous buffer of the same map to finish closing. */
    private static final long CLAIM_WAIT_MILLIS = 2_000;
    /** Claimed map ids, with their buffer once it is open (null while it opens). */
    private static final Map<Integer, PerfBuffer> BY_MAP = new HashMap<>();

    private OpenBuffers() {
    }

    /**
     * Takes the map for a new buffer, waiting a little for one that is still closing (a resubscription right
     * after a cancel) and failing when another buffer keeps it.
     */
    static void claim(PerfBufferSpec spec) {
        synchronized (BY_MAP) {
            long deadline = System.nanoTime() + CLAIM_WAIT_MILLIS * 1_000_000;
            while (BY_MAP.containsKey(spec.mapId())) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IllegalStateException("map '" + spec.mapName() + "' already has an open perf buffer,"
                            + " and its per-CPU slots can serve only one: share one Flux among subscribers with"
                            + " share() or publish()");
                }
                try {
                    BY_MAP.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for map '" + spec.mapName() + "'", e);
                }
            }
            BY_MAP.put(spec.mapId(), null);
        }
    }

    /** Records the buffer that opened on a claimed map. */
    static void opened(PerfBufferSpec spec, PerfBuffer buffer) {
        synchronized (BY_MAP) {
            BY_MAP.put(spec.mapId(), buffer);
        }
    }

    /** Gives the map back. */
    static void release(PerfBufferSpec spec) {
        synchronized (BY_MAP) {
            BY_MAP.remove(spec.mapId());
            BY_MAP.notifyAll();
        }
    }

    /** The open buffer of the map with kernel id {@code mapId}, or null. */
    static PerfBuffer of(int mapId) {
        synchronized (BY_MAP) {
            return BY_MAP.get(mapId);
        }
    }
}
