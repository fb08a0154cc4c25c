package io.reactorbpf.perf;

import java.nio.ByteBuffer;

/**
 * Receives the records {@link PerfRing#drain(int, RecordHandler)} hands out, decoded by type as libbpf's
 * {@code perf_buffer__new} does: samples as their raw data, lost records as a count, anything else whole.
 *
 * <p>Threading: called on the thread that drains the ring, one record at a time, in ring order.
 *
 * <p>Buffers are views, valid only during the callback: a contiguous record is read in place from the ring
 * memory, which the kernel may overwrite as soon as the drain pass publishes {@code data_tail}; a record that
 * wrapped past the ring's end is read from a per-ring scratch buffer that the next wrapped record reuses.
 * Read them with absolute indexes between {@code offset} and {@code offset + length}; their position and
 * limit mean nothing. Copy (or decode) what must outlive the callback. The buffers are read-only and in
 * native byte order.
 *
 * <p>A callback that throws ends the pass: the record it was given counts as consumed, {@code data_tail} is
 * published past it, and the exception propagates out of {@code drain}.
 *
 * @since 0.1
 */
public interface RecordHandler {

    /**
     * A {@link PerfRecordType#SAMPLE} record's raw data: exactly the {@code u32 size} bytes the kernel wrote,
     * including the 0 to 7 pad bytes it appends to keep records 8-byte aligned (as libbpf delivers them).
     *
     * @param cpu the CPU whose ring carried the sample; {@link RingBuf#NO_CPU} from a BPF ring buffer
     * @param data a read-only native-order view holding the data, valid only during the call
     * @param offset where the data starts in {@code data}
     * @param length the data's length, pad bytes included
     */
    void onSample(int cpu, ByteBuffer data, int offset, int length);

    /**
     * A {@link PerfRecordType#LOST} record: the kernel dropped {@code lost} samples because the ring was full.
     *
     * @param cpu the CPU whose ring dropped them; {@link RingBuf#NO_CPU} from a BPF ring buffer
     * @param lost how many samples were dropped since the last report
     */
    void onLost(int cpu, long lost);

    /**
     * Any other record, such as {@link PerfRecordType#THROTTLE} or a type this library does not know, whole:
     * {@code offset} is where its {@code perf_event_header} starts and {@code length} is the header's size.
     * Ignored unless overridden.
     *
     * @param cpu the CPU whose ring carried the record
     * @param type the header's record type
     * @param misc the header's misc bits
     * @param record a read-only native-order view holding the record, valid only during the call
     * @param offset where the record's header starts
     * @param length the record's size, header included
     */
    default void onOther(int cpu, int type, int misc, ByteBuffer record, int offset, int length) {
    }
}
