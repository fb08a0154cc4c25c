package io.reactorbpf.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.reactorbpf.perf.FakeRing.delivered;
import static io.reactorbpf.perf.FakeRing.payload;
import static io.reactorbpf.perf.FakeRing.sampleRecordSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Records that run past the end of the data area come out stitched, byte for byte. */
class PerfRingWrapTest {

    private static final int DATA_SIZE = 256;

    @ParameterizedTest(name = "ring positions counted from {0}")
    @ValueSource(longs = {0, 7L * DATA_SIZE, Long.MAX_VALUE - DATA_SIZE, -3L * DATA_SIZE})
    void aSampleStartingAtAnyAlignedOffsetComesOutByteExact(long base) {
        FakeRing fake = FakeRing.withDataSize(DATA_SIZE);
        PerfRing ring = fake.reader(2);
        for (int at = 0; at < DATA_SIZE; at += 8) {
            for (int length = 0; length <= DATA_SIZE - 12; length += 13) {
                long start = (base & ~7L) + at;
                byte[] data = payload(length, at + length);
                fake.at(start).sample(data);
                RecordLog log = new RecordLog();

                assertEquals(1, ring.drain(Integer.MAX_VALUE, log));

                String where = length + " bytes at data offset " + (start & (DATA_SIZE - 1));
                assertEquals(List.of(RecordLog.sample(2, delivered(data))), log.events(), where);
                assertEquals(start + sampleRecordSize(length), fake.tail(), where);
            }
        }
    }

    @Test
    void aRawRecordThatWrapsComesOutWholeWithItsHeader() {
        FakeRing fake = FakeRing.withDataSize(DATA_SIZE).at(DATA_SIZE - 16);
        byte[] body = payload(40, 1);
        fake.record(PerfRecordType.THROTTLE, 3, body);
        RecordLog log = new RecordLog();

        fake.reader(0).drainRaw(1, log);

        assertEquals(List.of(new RecordLog.Other(0, PerfRecordType.THROTTLE, 3,
                RecordLog.record(PerfRecordType.THROTTLE, 3, 48, body))), log.events());
    }

    @Test
    void aLostRecordThatWrapsReportsItsCount() {
        FakeRing fake = FakeRing.withDataSize(DATA_SIZE).at(DATA_SIZE - 16);
        fake.lost(77, 123_456_789_012L);
        RecordLog log = new RecordLog();

        fake.reader(1).drain(1, log);

        assertEquals(List.of(new RecordLog.Lost(1, 123_456_789_012L)), log.events());
    }

    @Test
    void aLongerStitchedRecordLeavesNothingInTheNextOne() {
        FakeRing fake = FakeRing.withDataSize(DATA_SIZE);
        PerfRing ring = fake.reader(0);
        byte[] longer = payload(100, 1);
        byte[] shorter = payload(20, 2);
        RecordLog log = new RecordLog();

        fake.at(DATA_SIZE - 48).sample(longer);
        ring.drain(1, log);
        fake.at(DATA_SIZE - 16).sample(shorter);
        ring.drain(1, log);

        assertEquals(List.of(RecordLog.sample(0, delivered(longer)), RecordLog.sample(0, delivered(shorter))),
                log.events());
    }
}
