package io.reactorbpf.perf;

import java.nio.ByteBuffer;
import java.util.Objects;

import static io.reactorbpf.perf.PerfEventHeader.LOST_COUNT_FIELD;
import static io.reactorbpf.perf.PerfEventHeader.SAMPLE_DATA;
import static io.reactorbpf.perf.PerfEventHeader.SAMPLE_SIZE_FIELD;

/**
 * Takes records out of a ring in place: the one path every reader of {@link PerfRing#read} goes through. Each
 * call offers one whole record ({@code offset} is its {@code perf_event_header}, {@code length} the header's
 * size), already checked by the ring (a SAMPLE's raw size and a LOST record's length fit the record). Returning
 * false declines the record: it and the records after it stay in the ring for the next pass, which is how a
 * reader with no demand leaves the ring to the kernel.
 *
 * <p>Threading and buffer validity are as for {@link RecordHandler}: called on the draining thread, with a
 * read-only native-order view valid only during the call. A visitor that throws has taken its record.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface RecordVisitor {

    /**
     * Offers one record.
     *
     * @param cpu the CPU of the ring it came from
     * @param type the header's record type, such as {@link PerfRecordType#SAMPLE}
     * @param misc the header's misc bits
     * @param record a read-only native-order view holding the record, valid only during the call
     * @param offset where the record's {@code perf_event_header} starts in {@code record}
     * @param length the record's size, header included
     * @return true to take the record, false to leave it and the rest of the pass in the ring
     */
    boolean visit(int cpu, int type, int misc, ByteBuffer record, int offset, int length);

    /**
     * Hands every record to {@code handler} whole (libbpf's perf_buffer__new_raw) and takes it.
     *
     * @param handler gets each record with its header
     * @return a visitor that takes every record
     */
    static RecordVisitor raw(RawRecordHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return (cpu, type, misc, record, offset, length) -> {
            handler.onRecord(cpu, type, misc, record, offset, length);
            return true;
        };
    }

    /**
     * Hands records to {@code handler} by type, as libbpf's perf_buffer__new does, and takes them.
     *
     * @param handler gets each sample's raw data, each lost count and every other record whole
     * @return a visitor that takes every record
     */
    static RecordVisitor decoding(RecordHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return (cpu, type, misc, record, offset, length) -> {
            if (type == PerfRecordType.SAMPLE) {
                handler.onSample(cpu, record, offset + SAMPLE_DATA, sampleLength(record, offset));
            } else if (type == PerfRecordType.LOST) {
                handler.onLost(cpu, lostCount(record, offset));
            } else {
                handler.onOther(cpu, type, misc, record, offset, length);
            }
            return true;
        };
    }

    /**
     * Takes at most {@code max} records through {@code visitor}, then declines the rest of the pass: how a
     * reader's demand bounds what leaves the ring. The returned visitor counts, so it serves one pass.
     *
     * @param max the most records to take, 0 or more
     * @param visitor offered the records until {@code max} are taken
     * @return a visitor for one pass
     * @throws IllegalArgumentException when {@code max} is negative
     */
    static RecordVisitor limit(int max, RecordVisitor visitor) {
        if (max < 0) {
            throw new IllegalArgumentException("maxRecords must not be negative: " + max);
        }
        int[] left = {max};
        return (cpu, type, misc, record, offset, length) -> {
            if (left[0] == 0 || !visitor.visit(cpu, type, misc, record, offset, length)) {
                return false;
            }
            left[0]--;
            return true;
        };
    }

    /**
     * The raw data length of the SAMPLE record at {@code offset}, as checked by the ring.
     *
     * @param record the view holding the record
     * @param offset where the record's header starts
     * @return the {@code u32 size} field that precedes the raw data
     */
    static int sampleLength(ByteBuffer record, int offset) {
        return record.getInt(offset + SAMPLE_SIZE_FIELD);
    }

    /**
     * The dropped-sample count of the LOST record at {@code offset}.
     *
     * @param record the view holding the record
     * @param offset where the record's header starts
     * @return the record's {@code u64 lost} field
     */
    static long lostCount(ByteBuffer record, int offset) {
        return record.getLong(offset + LOST_COUNT_FIELD);
    }
}
