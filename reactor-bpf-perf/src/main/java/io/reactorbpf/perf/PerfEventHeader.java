package io.reactorbpf.perf;

/**
 * Layout of {@code struct perf_event_header { u32 type; u16 misc; u16 size; }}, which starts every record
 * in a perf ring. {@code size} counts the header itself, and every record is 8-byte aligned. Constants only.
 *
 * @since 0.1
 */
public final class PerfEventHeader {

    /** Offset of {@code u32 type}, one of {@link PerfRecordType}. */
    public static final int TYPE = 0;

    /** Offset of {@code u16 misc}, flags such as the CPU mode the record was taken in. */
    public static final int MISC = 4;

    /** Offset of {@code u16 size}, the whole record's length in bytes including this header. */
    public static final int SIZE = 6;

    /** Length of the header in bytes. */
    public static final int BYTES = 8;

    /** Every record's size and start are multiples of this. */
    public static final int ALIGNMENT = 8;

    /** The largest record the u16 {@code size} field can describe while staying 8-byte aligned. */
    public static final int MAX_RECORD_SIZE = 0xFFFF & ~(ALIGNMENT - 1);

    /** Offset, in a SAMPLE record with PERF_SAMPLE_RAW, of the {@code u32 size} of the raw data. */
    public static final int SAMPLE_SIZE_FIELD = BYTES;

    /** Offset, in a SAMPLE record with PERF_SAMPLE_RAW, of the raw data. */
    public static final int SAMPLE_DATA = SAMPLE_SIZE_FIELD + Integer.BYTES;

    /** Offset, in a LOST record ({@code u64 id; u64 lost}), of the count of dropped samples. */
    public static final int LOST_COUNT_FIELD = BYTES + Long.BYTES;

    private PerfEventHeader() {
    }
}
