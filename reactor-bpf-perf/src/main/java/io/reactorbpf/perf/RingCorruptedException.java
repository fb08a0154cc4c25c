package io.reactorbpf.perf;

import io.reactorbpf.core.BpfException;

/**
 * A ring's memory does not hold what the kernel writes: for a perf ring, a record header with an impossible
 * size, a sample or lost record too short for its body, or a {@code perf_event_mmap_page} whose head, tail or
 * data area cannot be right; for a BPF ring buffer, a record running past {@code producer_pos} or positions
 * further apart than the ring. The reader stops at the bad spot; reading again reports it again. Names the CPU
 * (a perf ring's; {@link RingBuf#NO_CPU} for a ring buffer) and the position of the bad spot.
 *
 * @since 0.1
 */
public final class RingCorruptedException extends BpfException {

    /** The corrupted ring's CPU, as {@link #cpu()} returns it. */
    private final int cpu;
    /** The bad spot, as {@link #position()} returns it. */
    private final long position;

    RingCorruptedException(int cpu, long position, String what) {
        super("perf ring of cpu " + cpu + " is corrupted at position " + position + ": " + what
                + ". The ring cannot be read past this point; close and reopen the perf buffer, and check that"
                + " nothing else writes to the mapping");
        this.cpu = cpu;
        this.position = position;
    }

    /** A ring buffer's corruption: {@code message} names the map and says what was wrong. */
    RingCorruptedException(String message, long position) {
        super(message);
        this.cpu = RingBuf.NO_CPU;
        this.position = position;
    }

    /**
     * The CPU whose perf ring is corrupted; {@link RingBuf#NO_CPU} for a ring buffer.
     *
     * @return the CPU number, or {@link RingBuf#NO_CPU}
     */
    public int cpu() {
        return cpu;
    }

    /**
     * The ring position ({@code data_tail} or {@code consumer_pos}) of the bad record, or a bad field's offset.
     *
     * @return the position
     */
    public long position() {
        return position;
    }
}
