package io.reactorbpf.perf;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static io.reactorbpf.perf.FakeRing.delivered;
import static io.reactorbpf.perf.FakeRing.payload;
import static io.reactorbpf.perf.PerfEventHeader.MAX_RECORD_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Records up to the largest size the u16 header can describe, contiguous and wrapped. */
class PerfRingLargeRecordTest {

    private static final int DATA_SIZE = 1 << 17;
    private static final byte[] LARGEST_SAMPLE = payload(MAX_RECORD_SIZE - 12, 5);

    private final FakeRing fake = FakeRing.withDataSize(DATA_SIZE);
    private final PerfRing ring = fake.reader(1);

    @Test
    void theLargestSampleComesOutWhole() {
        assertEquals(List.of(RecordLog.sample(1, delivered(LARGEST_SAMPLE))), drainSampleAt(0));
    }

    @Test
    void theLargestSampleComesOutWholeWhereverItWraps() {
        LongStream splits = LongStream.concat(LongStream.concat(
                LongStream.rangeClosed(1, 32).map(i -> i * 8),
                LongStream.rangeClosed(1, 15).map(i -> i * 4096)),
                LongStream.rangeClosed(0, 32).map(i -> MAX_RECORD_SIZE - 8 - i * 8));
        splits.forEach(tailPart -> assertEquals(List.of(RecordLog.sample(1, delivered(LARGEST_SAMPLE))),
                drainSampleAt(DATA_SIZE - MAX_RECORD_SIZE + tailPart), "split " + tailPart));
    }

    @Test
    void theLargestRawRecordComesOutWholeWhenWrapped() {
        byte[] body = payload(MAX_RECORD_SIZE - 8, 6);
        fake.at(3L * DATA_SIZE - 4096).record(PerfRecordType.THROTTLE, 0, body);
        RecordLog log = new RecordLog();

        ring.drainRaw(1, log);

        assertEquals(List.of(new RecordLog.Other(1, PerfRecordType.THROTTLE, 0,
                RecordLog.record(PerfRecordType.THROTTLE, 0, MAX_RECORD_SIZE, body))), log.events());
    }

    @Test
    void aDataAreaSmallerThanTheLargestRecordStitchesAnyRecordItHolds() {
        FakeRing small = FakeRing.withDataSize(4096).at(4096 - 8);
        byte[] fills = payload(4096 - 12, 7);
        small.sample(fills);
        RecordLog log = new RecordLog();

        small.reader(0).drain(1, log);

        assertEquals(List.of(RecordLog.sample(0, delivered(fills))), log.events());
    }

    private List<RecordLog.Event> drainSampleAt(long position) {
        fake.at(position).sample(LARGEST_SAMPLE);
        RecordLog log = new RecordLog();
        ring.drain(Integer.MAX_VALUE, log);
        assertEquals(fake.head(), fake.tail());
        return log.events();
    }
}
