package io.reactorbpf.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static io.reactorbpf.perf.FakeRing.delivered;
import static io.reactorbpf.perf.FakeRing.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory the kernel cannot have written stops the reader with a {@link RingCorruptedException} at the bad
 * spot, after handing out and consuming the good records before it; it never loops or reads out of bounds.
 */
@Timeout(10)
class PerfRingCorruptionTest {

    private static final int DATA_SIZE = 512;
    private static final int CPU = 5;

    private final FakeRing fake = FakeRing.withDataSize(DATA_SIZE);
    private final PerfRing ring = fake.reader(CPU);
    private final byte[] good = payload(20, 9);
    private final RecordLog log = new RecordLog();
    private List<RecordLog.Event> handedOutFirst = List.of();

    @Test
    void aHeaderOfSizeZeroIsCorruption() {
        long bad = afterAGoodSample(0);
        fake.forge(PerfRecordType.SAMPLE, 0, 8);

        assertCorruptAt(bad, "size=0");
    }

    @Test
    void aHeaderShorterThanAHeaderIsCorruption() {
        long bad = afterAGoodSample(0);
        fake.forge(PerfRecordType.SAMPLE, 4, 8);

        assertCorruptAt(bad, "size=4");
    }

    @Test
    void aSizeThatIsNotAMultipleOfEightIsCorruption() {
        long bad = afterAGoodSample(0);
        fake.forge(PerfRecordType.SAMPLE, 12, 16);

        assertCorruptAt(bad, "size=12");
    }

    @Test
    void theLargestU16SizeIsCorruptionBecauseItIsNotAligned() {
        FakeRing big = FakeRing.withDataSize(1 << 17);
        big.forge(PerfRecordType.SAMPLE, 0xFFFF, 0xFFFF + 1);

        RingCorruptedException e = assertThrows(RingCorruptedException.class,
                () -> big.reader(CPU).drain(1, log));

        assertTrue(e.getMessage().contains("size=65535"), e.getMessage());
    }

    @Test
    void aSizeBeyondDataHeadIsCorruption() {
        long bad = afterAGoodSample(0);
        fake.forge(PerfRecordType.SAMPLE, 64, 16);

        assertCorruptAt(bad, "size=64");
    }

    @Test
    void aWrappedRecordWhoseSizeRunsBeyondDataHeadIsCorruption() {
        long bad = afterAGoodSample(DATA_SIZE - 40);
        fake.forge(PerfRecordType.LOST, 48, 24);

        assertCorruptAt(bad, "type=LOST");
    }

    @Test
    void anUnknownTypeWithABadSizeIsNamedByNumber() {
        long bad = afterAGoodSample(0);
        fake.forge(70_000, 0, 8);

        assertCorruptAt(bad, "type=UNKNOWN(70000)");
    }

    @Test
    void aSampleWithNoRoomForItsRawSizeIsCorruption() {
        long bad = afterAGoodSample(0);
        fake.forge(PerfRecordType.SAMPLE, 8, 8);

        assertCorruptAt(bad, "no room for its u32 raw size");
    }

    @Test
    void aSampleClaimingMoreRawBytesThanItHoldsIsCorruption() {
        long bad = afterAGoodSample(0);
        fake.forgeSample(payload(4, 1), 5);

        assertCorruptAt(bad, "claims 5 raw bytes");
    }

    @Test
    void aSampleClaimingANegativeRawSizeIsCorruption() {
        long bad = afterAGoodSample(0);
        fake.forgeSample(payload(4, 1), -4);

        assertCorruptAt(bad, "claims 4294967292 raw bytes");
    }

    @Test
    void aLostRecordTooShortForItsCountIsCorruption() {
        long bad = afterAGoodSample(0);
        fake.record(PerfRecordType.LOST, 0, new byte[8]);

        assertCorruptAt(bad, "LOST record of size 16");
    }

    @Test
    void dataHeadBehindDataTailIsCorruption() {
        fake.at(4096);
        fake.forgeHead(4096 - 8);

        assertCorruptAt(4096, "data_head 4088");
    }

    @Test
    void dataHeadMoreThanTheDataAreaAheadIsCorruption() {
        fake.at(64);
        fake.forgeHead(64 + DATA_SIZE + 8);

        assertCorruptAt(64, "data_head " + (64 + DATA_SIZE + 8));
    }

    @Test
    void anUnalignedDataTailIsCorruption() {
        fake.sample(good);
        fake.rewindTail(4);

        assertCorruptAt(4, "not 8-byte aligned");
    }

    @Test
    void theReaderStopsWithinTheWrittenBytesWhateverTheHeadersSay() {
        for (int size = 0; size <= 0xFFFF; size += 7) {
            for (int type : new int[] {PerfRecordType.SAMPLE, PerfRecordType.LOST, 77}) {
                FakeRing forged = FakeRing.withDataSize(64).at(48);
                forged.forge(type, size, 64);
                try {
                    forged.reader(CPU).drain(Integer.MAX_VALUE, log);
                } catch (RingCorruptedException e) {
                    assertTrue(e.position() >= 48 && e.position() < 48 + 64, e.getMessage());
                }
                assertTrue(forged.tail() <= forged.head(), "size " + size);
            }
        }
    }

    /** Writes a good sample at {@code position}, which the reader hands out first; returns where it ends. */
    private long afterAGoodSample(long position) {
        fake.at(position).sample(good);
        handedOutFirst = List.of(RecordLog.sample(CPU, delivered(good)));
        return fake.head();
    }

    private void assertCorruptAt(long position, String detail) {
        long headBefore = fake.head();
        RingCorruptedException first = assertThrows(RingCorruptedException.class,
                () -> ring.drain(Integer.MAX_VALUE, log));
        RingCorruptedException again = assertThrows(RingCorruptedException.class,
                () -> ring.drain(Integer.MAX_VALUE, log));

        assertEquals(CPU, first.cpu());
        assertEquals(position, first.position());
        assertTrue(first.getMessage().contains("cpu " + CPU), first.getMessage());
        assertTrue(first.getMessage().contains("position " + position), first.getMessage());
        assertTrue(first.getMessage().contains(detail), first.getMessage());
        assertEquals(first.getMessage(), again.getMessage());
        assertEquals(handedOutFirst, log.events());
        assertEquals(position, fake.tail(), "data_tail stops at the bad spot");
        assertEquals(headBefore, fake.head());
    }
}
