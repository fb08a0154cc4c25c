package io.reactorbpf.perf;

import java.util.List;

/**
 * The rings a perf buffer or stream has open at one moment: which CPU each serves, its map slot and its
 * counters. An immutable snapshot, published anew by the rings' owner whenever CPU hotplug changes them; safe to
 * read from any thread, and its counters keep counting while the rings live.
 *
 * @param map   the perf event array's name
 * @param rings one entry per open ring, in CPU order
 * @since 0.1
 */
public record PerfRings(String map, List<Ring> rings) {

    /**
     * Copies the list.
     *
     * @param map the perf event array's name
     * @param rings one entry per open ring, in CPU order; copied
     */
    public PerfRings {
        rings = List.copyOf(rings);
    }

    /**
     * Samples handed out by all these rings.
     *
     * @return the sum of their {@link PerfRingCounters#samples()}
     */
    public long samples() {
        long n = 0;
        for (Ring r : rings) {
            n += r.counters().samples();
        }
        return n;
    }

    /**
     * Samples the kernel reported lost in all these rings.
     *
     * @return the sum of their {@link PerfRingCounters#lost()}
     */
    public long lost() {
        long n = 0;
        for (Ring r : rings) {
            n += r.counters().lost();
        }
        return n;
    }

    /**
     * One open ring.
     *
     * @param cpu      the CPU whose BPF output it receives
     * @param key      the map slot that points at it
     * @param counters what it has handed out, read with opaque loads
     * @since 0.1
     */
    public record Ring(int cpu, int key, PerfRingCounters counters) {
    }
}
