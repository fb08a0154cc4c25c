package io.reactorbpf.perf;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import static io.reactorbpf.perf.FakeRing.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Draining allocates nothing per record, contiguous or wrapped; the handler decides what to allocate. */
class PerfRingAllocationTest {

    private static final int PASSES = 20_000;

    @Test
    void drainingContiguousAndWrappedRecordsAllocatesNothingPerRecord() {
        // each pass hands out a sample that wraps (written first, across the data area's end) and a dozen that do not
        FakeRing fake = FakeRing.withDataSize(1024);
        long start = 1024 - 16;
        fake.at(start).sample(payload(40, 0));
        int records = 1;
        for (int i = 1; fake.free() >= 120; i++) {
            if (i % 5 == 4) {
                fake.lost(i, 3);
            } else {
                fake.sample(payload(17 + i * 9 % 90, i));
            }
            records++;
        }
        PerfRing ring = fake.reader(0);
        SummingHandler handler = new SummingHandler();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        drainRepeatedly(ring, fake, start, handler, PASSES);

        long before = threads.getCurrentThreadAllocatedBytes();
        drainRepeatedly(ring, fake, start, handler, PASSES);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(2L * PASSES * records, ring.counters().samples() + ring.counters().lostRecords());
        long handedOut = (long) PASSES * records;
        assertTrue(allocated < handedOut, allocated + " bytes allocated while handing out " + handedOut + " records");
    }

    private static void drainRepeatedly(PerfRing ring, FakeRing fake, long start, SummingHandler handler, int passes) {
        // the poller's path: one visitor made once, every pass through PerfRing.read
        RecordVisitor visitor = RecordVisitor.decoding(handler);
        for (int i = 0; i < passes; i++) {
            fake.rewindTail(start);
            ring.read(visitor);
        }
    }

    /** Reads every byte handed out, allocating nothing. */
    private static final class SummingHandler implements RecordHandler {

        long sum;

        @Override
        public void onSample(int cpu, ByteBuffer data, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                sum += data.get(i);
            }
        }

        @Override
        public void onLost(int cpu, long lost) {
            sum += lost;
        }
    }
}
