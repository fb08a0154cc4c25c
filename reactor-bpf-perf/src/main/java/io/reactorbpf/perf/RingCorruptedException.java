package io.reactorbpf.perf;

import io.reactorbpf.core.BpfException;

/**
 * A perf ring's memory does not hold what the kernel writes: a record header with an impossible size, a
 * sample or lost record too short for its body, or a {@code perf_event_mmap_page} whose head, tail or data
 * area cannot be right. The reader stops at the bad spot; draining again reports it again. Names the CPU and
 * the position (the {@code data_head}/{@code data_tail} counter value) of the bad spot.
 */
public final class RingCorruptedException extends BpfException {

    private final int cpu;
    private final long position;

    RingCorruptedException(int cpu, long position, String what) {
        super("perf ring of cpu " + cpu + " is corrupted at position " + position + ": " + what
                + ". The ring cannot be read past this point; close and reopen the perf buffer, and check that"
                + " nothing else writes to the mapping");
        this.cpu = cpu;
        this.position = position;
    }

    /** The CPU whose ring is corrupted. */
    public int cpu() {
        return cpu;
    }

    /** The ring position (a {@code data_tail} value) of the bad record, or the page offset of a bad field. */
    public long position() {
        return position;
    }
}
