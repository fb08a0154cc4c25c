package io.reactorbpf.perf;

/**
 * Offsets of the fields of {@code struct perf_event_mmap_page} (the first page of a perf event mapping)
 * that a ring reader uses. All are u64 in native byte order. Constants only.
 *
 * @since 0.1
 */
public final class PerfEventMmapPage {

    /** {@code data_head}: where the kernel will write the next record; it only grows. */
    public static final int DATA_HEAD = 1024;

    /** {@code data_tail}: how far user space has consumed; written by the reader, read by the kernel. */
    public static final int DATA_TAIL = 1032;

    /** {@code data_offset}: where the data area starts in the mapping (0 before Linux 4.1). */
    public static final int DATA_OFFSET = 1040;

    /** {@code data_size}: the size of the data area, a power of two (0 before Linux 4.1). */
    public static final int DATA_SIZE = 1048;

    /** The smallest mapping that holds every field above. */
    public static final int MIN_SIZE = DATA_SIZE + Long.BYTES;

    private PerfEventMmapPage() {
    }
}
