package io.reactorbpf.perf;

import java.nio.ByteBuffer;
import java.util.Objects;

import static io.reactorbpf.perf.PerfEventHeader.SAMPLE_DATA;

/**
 * What a stream makes of each record: an element, or null for a record that is taken and counted but not
 * emitted. Chosen once, when the stream is made, so the poller's path per record has no further choice to
 * make. Runs on the poller thread while the record is still in the ring.
 *
 * @param <T> the element type
 */
@FunctionalInterface
interface Emitter<T> {

    T emit(int cpu, int type, int misc, ByteBuffer record, int offset, int length);

    /** Samples as copies and lost counts. */
    static Emitter<PerfEvent> events() {
        return (cpu, type, misc, record, offset, length) -> type == PerfRecordType.SAMPLE
                ? new PerfEvent.Sample(cpu, copy(record, offset + SAMPLE_DATA, RecordVisitor.sampleLength(record, offset)))
                : type == PerfRecordType.LOST ? new PerfEvent.Lost(cpu, RecordVisitor.lostCount(record, offset)) : null;
    }

    /** Samples as copies only. */
    static Emitter<PerfEvent.Sample> samples() {
        return (cpu, type, misc, record, offset, length) -> type == PerfRecordType.SAMPLE
                ? new PerfEvent.Sample(cpu, copy(record, offset + SAMPLE_DATA, RecordVisitor.sampleLength(record, offset)))
                : null;
    }

    /** Lost counts only. */
    static Emitter<PerfEvent.Lost> lost() {
        return (cpu, type, misc, record, offset, length) -> type == PerfRecordType.LOST
                ? new PerfEvent.Lost(cpu, RecordVisitor.lostCount(record, offset)) : null;
    }

    /** Samples decoded in place by {@code decoder}; lost counts by {@code lost}, or not emitted when it is null. */
    static <T> Emitter<T> decoded(RecordDecoder<T> decoder, LostDecoder<T> lost) {
        Objects.requireNonNull(decoder, "decoder");
        return (cpu, type, misc, record, offset, length) -> type == PerfRecordType.SAMPLE
                ? decoder.decode(cpu, record, offset + SAMPLE_DATA, RecordVisitor.sampleLength(record, offset))
                : type == PerfRecordType.LOST && lost != null ? lost.lost(cpu, RecordVisitor.lostCount(record, offset))
                : null;
    }

    /** Every record whole, header included. */
    static Emitter<PerfRecord> records() {
        return (cpu, type, misc, record, offset, length) -> new PerfRecord(cpu, type, misc, copy(record, offset, length));
    }

    private static byte[] copy(ByteBuffer data, int offset, int length) {
        byte[] bytes = new byte[length];
        data.get(offset, bytes);
        return bytes;
    }
}
