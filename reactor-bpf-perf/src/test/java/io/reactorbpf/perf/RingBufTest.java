package io.reactorbpf.perf;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static io.reactorbpf.perf.FakeRing.payload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RingBufTest {

    /** Collects every sample it is offered, taking at most {@code limit}. */
    private static final class Collect implements SampleVisitor {
        final List<byte[]> samples = new ArrayList<>();
        final List<Long> losses = new ArrayList<>();
        /** Where each loss came, as the number of samples taken before it. */
        final List<Integer> lossesAfter = new ArrayList<>();
        int limit = Integer.MAX_VALUE;
        boolean takeLosses = true;

        @Override
        public boolean lost(long count) {
            if (takeLosses) {
                losses.add(count);
                lossesAfter.add(samples.size());
            }
            return takeLosses;
        }

        @Override
        public boolean visit(ByteBuffer data, int offset, int length) {
            if (samples.size() == limit) {
                return false;
            }
            byte[] b = new byte[length];
            data.get(offset, b);
            samples.add(b);
            return true;
        }
    }

    @Test
    void committedSamplesArriveInOrderWithTheirExactLength() {
        FakeRingBuf fake = new FakeRingBuf(4096);
        RingBuf ring = fake.reader();
        fake.write(payload(5, 1));
        fake.write(payload(64, 2));
        fake.write(payload(13, 3));
        Collect c = new Collect();
        assertEquals(3, ring.read(c));
        assertArrayEquals(payload(5, 1), c.samples.get(0));
        assertArrayEquals(payload(64, 2), c.samples.get(1));
        assertArrayEquals(payload(13, 3), c.samples.get(2));
        assertTrue(ring.isEmpty());
        assertEquals(3, ring.counters().samples());
        assertEquals(0, ring.read(c));
    }

    @Test
    void aBusyRecordEndsThePassAndItsSuccessorsWaitEvenWhenCommitted() {
        FakeRingBuf fake = new FakeRingBuf(4096);
        RingBuf ring = fake.reader();
        fake.write(payload(8, 1));
        long busy = fake.reserve(payload(8, 2));
        fake.write(payload(8, 3));
        Collect c = new Collect();
        assertEquals(1, ring.read(c));
        assertEquals(fake.consumerPos(), busy, "consumer_pos stops at the BUSY record");
        fake.commit(busy);
        assertEquals(2, ring.read(c));
        assertArrayEquals(payload(8, 2), c.samples.get(1));
        assertArrayEquals(payload(8, 3), c.samples.get(2));
    }

    @Test
    void discardedRecordsAreSkippedAndTheirSpaceFreed() {
        FakeRingBuf fake = new FakeRingBuf(4096);
        RingBuf ring = fake.reader();
        long dropped = fake.reserve(payload(100, 1));
        fake.discard(dropped);
        fake.write(payload(4, 2));
        Collect c = new Collect();
        assertEquals(1, ring.read(c));
        assertArrayEquals(payload(4, 2), c.samples.get(0));
        assertTrue(ring.isEmpty(), "the discarded record's space is consumed too");
    }

    @Test
    void aRecordEndingExactlyAtTheRingsEndAndOneWrappingPastItArriveWhole() {
        int size = 4096;
        FakeRingBuf fake = new FakeRingBuf(size).at(10L * size - 64);
        RingBuf ring = fake.reader();
        fake.write(payload(56, 1));       // 8 + 56 = 64 bytes: ends exactly at the data area's end
        fake.write(payload(200, 2));      // starts at the beginning again
        fake.write(payload(3000, 3));
        Collect c = new Collect();
        assertEquals(3, ring.read(c));
        fake.write(payload(1500, 4));     // wraps past the end: contiguous in the double mapping
        assertEquals(1, ring.read(c));
        assertArrayEquals(payload(56, 1), c.samples.get(0));
        assertArrayEquals(payload(200, 2), c.samples.get(1));
        assertArrayEquals(payload(3000, 3), c.samples.get(2));
        assertArrayEquals(payload(1500, 4), c.samples.get(3));
    }

    @Test
    void demandLimitsAPassAndTheRestWaitsInTheRing() {
        FakeRingBuf fake = new FakeRingBuf(4096);
        RingBuf ring = fake.reader();
        for (int i = 0; i < 10; i++) {
            fake.write(payload(16, i));
        }
        Collect c = new Collect();
        c.limit = 3;
        assertEquals(3, ring.read(c));
        assertEquals(7 * 24, ring.availableBytes(), "seven 24-byte records wait");
        assertEquals(7 * 24, ring.counters().backlog());
        c.limit = 10;
        assertEquals(7, ring.read(c));
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(payload(16, i), c.samples.get(i));
        }
    }

    @Test
    void counterGrowthIsOfferedOnceAfterThePassesSamplesAndOnlyWhenNoneWasDeclined() {
        FakeRingBuf fake = new FakeRingBuf(4096);
        RingBuf ring = fake.reader();
        ByteBuffer counters = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
        counters.putLong(8, 5);
        ring.countLosses(counters, 8);
        assertTrue(ring.countsLosses());
        assertFalse(ring.lossPending(), "what the counter held before counting began is no one's");

        fake.write(payload(16, 1));
        fake.write(payload(16, 2));
        counters.putLong(8, 12);
        assertTrue(ring.lossPending());
        Collect c = new Collect();
        c.limit = 1;
        assertEquals(1, ring.read(c));
        assertEquals(List.of(), c.losses, "a declined sample holds the loss back too");
        c.limit = Integer.MAX_VALUE;
        c.takeLosses = false;
        assertEquals(1, ring.read(c));
        assertTrue(ring.lossPending(), "a declined loss stays pending");
        c.takeLosses = true;
        assertEquals(0, ring.read(c));
        assertEquals(List.of(7L), c.losses);
        assertEquals(List.of(2), c.lossesAfter);
        assertFalse(ring.lossPending());
        assertEquals(7, ring.counters().lost());
        assertEquals(1, ring.counters().lostRecords());
        assertEquals(0, ring.read(c));
        assertEquals(List.of(7L), c.losses, "offered once");
    }

    @Test
    void consumerPosIsPublishedOncePerPassPastTheLastRecordTaken() {
        FakeRingBuf fake = new FakeRingBuf(4096);
        RingBuf ring = fake.reader();
        fake.write(payload(8, 1));
        fake.write(payload(8, 2));
        List<Long> seen = new ArrayList<>();
        assertEquals(2, ring.read((data, offset, length) -> {
            seen.add(fake.consumerPos());
            return true;
        }));
        assertEquals(List.of(0L, 0L), seen, "consumer_pos does not move during the pass");
        assertEquals(32, fake.consumerPos());
    }

    @Test
    void aVisitorThatThrowsHasTakenItsSample() {
        FakeRingBuf fake = new FakeRingBuf(4096);
        RingBuf ring = fake.reader();
        fake.write(payload(8, 1));
        fake.write(payload(8, 2));
        assertThrows(IllegalStateException.class, () -> ring.read((data, offset, length) -> {
            throw new IllegalStateException("decoder failed");
        }));
        Collect c = new Collect();
        assertEquals(1, ring.read(c));
        assertArrayEquals(payload(8, 2), c.samples.get(0));
    }

    @Test
    void aLengthRunningPastTheProducerIsReportedAsCorruption() {
        FakeRingBuf fake = new FakeRingBuf(4096);
        RingBuf ring = fake.reader();
        long at = fake.write(payload(8, 1));
        fake.forgeLength(at, 5000);
        RingCorruptedException e = assertThrows(RingCorruptedException.class, () -> ring.read(new Collect()));
        assertTrue(e.getMessage().contains("ring buffer 'fake'"), e.getMessage());
        assertEquals(0, e.position());
        assertEquals(RingBuf.NO_CPU, e.cpu());
    }

    @Test
    void mappingsThatCannotHoldTheDoubleMappedRingAreRefused() {
        ByteBuffer page = ByteBuffer.allocateDirect(4096);
        assertThrows(IllegalArgumentException.class,
                () -> new RingBuf(page, ByteBuffer.allocateDirect(4096 + 4096), 4096, 4096, "short"));
        assertThrows(IllegalArgumentException.class,
                () -> new RingBuf(page, ByteBuffer.allocateDirect(4096 * 7), 4096, 3 * 4096, "odd"));
        assertThrows(IllegalArgumentException.class,
                () -> new RingBuf(ByteBuffer.allocate(4096), ByteBuffer.allocateDirect(3 * 4096), 4096, 4096, "heap"));
        assertEquals(4096, new RingBuf(page, ByteBuffer.allocateDirect(3 * 4096), 4096, 4096, "ok").size());
    }
}
