package io.reactorbpf.perf;

import java.util.HashMap;
import java.util.Map;

/**
 * Which perf event arrays and ring buffers have a reader in this process: a perf event array has one slot per
 * CPU and a ring buffer one consumer position, so two readers on one map would steal each other's records. Holds claims only; no reader is ever found through it. Thread-safe, guarded by
 * its own monitor.
 *
 * <p>A claim is live while its reader fills the slots, and releasing once that reader was told to stop (cancel,
 * close) and has yet to clear them. A new claim on a live map fails at once; on a releasing map it waits for the
 * release, which the stopping reader's owner thread makes as soon as it leaves its current callback.
 */
final class MapClaims {

    /** How long a claim waits for a releasing reader before it fails. */
    private static final long RELEASE_WAIT_NANOS = 2_000_000_000L;
    /** Claims by kernel map id. */
    private static final Map<Integer, Claim> BY_MAP = new HashMap<>();

    private MapClaims() {
    }

    /** One reader's hold on a map. */
    static final class Claim {
        private final int mapId;
        private boolean releasing;
        private boolean released;

        private Claim(int mapId) {
            this.mapId = mapId;
        }

        /** Says the reader is stopping, so a new reader may wait for it. Any thread. */
        void releasing() {
            synchronized (BY_MAP) {
                releasing = true;
            }
        }

        /** Gives the map back; later calls do nothing. */
        void release() {
            synchronized (BY_MAP) {
                if (!released) {
                    released = true;
                    BY_MAP.remove(mapId, this);
                    BY_MAP.notifyAll();
                }
            }
        }
    }

    /** Who holds a claim, and why only one may: the middle of the message a second claimant gets. */
    static final String READER = "reader, and a perf event array's per-CPU slots or a ring buffer's consumer position"
            + " serve only one: share one stream among subscribers with share() or publish()";
    static final String WRITER = "writer, and a user ring buffer's producer position serves only one: merge what is"
            + " written into one Flux before it reaches the sink";

    /**
     * Claims map {@code mapId} for a new reader.
     *
     * @throws IllegalStateException at once when a live reader holds the map
     */
    static Claim claim(int mapId, String mapName) {
        return claim(mapId, mapName, READER);
    }

    /**
     * Claims map {@code mapId} for a new {@code holder} ({@link #READER} or {@link #WRITER}).
     *
     * @throws IllegalStateException at once when a live holder has the map
     */
    static Claim claim(int mapId, String mapName, String holder) {
        synchronized (BY_MAP) {
            long deadline = System.nanoTime() + RELEASE_WAIT_NANOS;
            Claim held;
            while ((held = BY_MAP.get(mapId)) != null) {
                long left = deadline - System.nanoTime();
                if (!held.releasing || left <= 0) {
                    throw new IllegalStateException("map '" + mapName + "' already has an open " + holder
                            + (held.releasing ? " (the previous one is still stopping)" : ""));
                }
                try {
                    BY_MAP.wait(left / 1_000_000 + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the previous reader of map '"
                            + mapName + "' to stop", e);
                }
            }
            Claim claim = new Claim(mapId);
            BY_MAP.put(mapId, claim);
            return claim;
        }
    }
}
