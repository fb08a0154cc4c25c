package io.reactorbpf.perf;

import java.nio.ByteBuffer;

/**
 * Receives every record {@link PerfRing#drainRaw(int, RawRecordHandler)} hands out, undecoded and with its
 * {@code perf_event_header}, as libbpf's {@code perf_buffer__new_raw} does.
 *
 * <p>Threading, buffer validity and exceptions are as for {@link RecordHandler}: called on the draining
 * thread; {@code record} is a read-only native-order view valid only during the call, read with absolute
 * indexes from {@code offset} (the header's first byte) for {@code length} bytes (the header's size).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface RawRecordHandler {

    /**
     * One record, as the kernel wrote it.
     *
     * @param cpu the CPU whose ring carried the record
     * @param type the header's record type, such as {@link PerfRecordType#SAMPLE} or {@link PerfRecordType#LOST}
     * @param misc the header's misc bits
     * @param record a read-only native-order view holding the record, valid only during the call
     * @param offset where the record's {@code perf_event_header} starts
     * @param length the record's size, header included
     */
    void onRecord(int cpu, int type, int misc, ByteBuffer record, int offset, int length);
}
