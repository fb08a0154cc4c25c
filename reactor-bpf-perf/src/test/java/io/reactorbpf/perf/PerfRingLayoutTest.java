package io.reactorbpf.perf;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static io.reactorbpf.perf.FakeRing.PAGE_SIZE;
import static io.reactorbpf.perf.FakeRing.delivered;
import static io.reactorbpf.perf.FakeRing.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a ring finds its data area in the mapping, and which mappings it refuses. */
class PerfRingLayoutTest {

    @Test
    void theDataAreaIsWhereDataOffsetAndDataSizeSay() {
        ByteBuffer mapping = ByteBuffer.allocateDirect(4 * PAGE_SIZE).order(ByteOrder.nativeOrder());
        mapping.putLong(PerfEventMmapPage.DATA_OFFSET, 2 * PAGE_SIZE).putLong(PerfEventMmapPage.DATA_SIZE, PAGE_SIZE);

        PerfRing ring = new PerfRing(mapping, 0, PAGE_SIZE);

        assertEquals(2 * PAGE_SIZE, ring.dataOffset());
        assertEquals(PAGE_SIZE, ring.dataSize());
    }

    @Test
    void withoutDataOffsetAndDataSizeTheDataAreaIsEverythingAfterTheFirstPage() {
        FakeRing fake = FakeRing.legacy(8 * PAGE_SIZE).at(8 * PAGE_SIZE - 8);
        byte[] data = payload(30, 1);
        fake.sample(data);
        PerfRing ring = fake.reader(4);
        RecordLog log = new RecordLog();

        ring.drain(1, log);

        assertEquals(PAGE_SIZE, ring.dataOffset());
        assertEquals(8 * PAGE_SIZE, ring.dataSize());
        assertEquals(List.of(RecordLog.sample(4, delivered(data))), log.events());
    }

    @Test
    void aDataSizeThatIsNotAPowerOfTwoIsRefused() {
        ByteBuffer mapping = ByteBuffer.allocateDirect(4 * PAGE_SIZE).order(ByteOrder.nativeOrder());
        mapping.putLong(PerfEventMmapPage.DATA_OFFSET, PAGE_SIZE).putLong(PerfEventMmapPage.DATA_SIZE, 3 * PAGE_SIZE);

        RingCorruptedException e = assertThrows(RingCorruptedException.class, () -> new PerfRing(mapping, 6, PAGE_SIZE));

        assertEquals(6, e.cpu());
        assertTrue(e.getMessage().contains("data_size=12288"), e.getMessage());
    }

    @Test
    void aDataAreaPastTheEndOfTheMappingIsRefused() {
        ByteBuffer mapping = ByteBuffer.allocateDirect(3 * PAGE_SIZE).order(ByteOrder.nativeOrder());
        mapping.putLong(PerfEventMmapPage.DATA_OFFSET, PAGE_SIZE).putLong(PerfEventMmapPage.DATA_SIZE, 4 * PAGE_SIZE);

        assertThrows(RingCorruptedException.class, () -> new PerfRing(mapping, 0, PAGE_SIZE));
    }

    @Test
    void aDataAreaOverlappingTheControlPageIsRefused() {
        ByteBuffer mapping = ByteBuffer.allocateDirect(2 * PAGE_SIZE).order(ByteOrder.nativeOrder());
        mapping.putLong(PerfEventMmapPage.DATA_OFFSET, 1024).putLong(PerfEventMmapPage.DATA_SIZE, 1024);

        assertThrows(RingCorruptedException.class, () -> new PerfRing(mapping, 0, PAGE_SIZE));
    }

    @Test
    void aHeapBufferIsRefusedBecauseAcquireAndReleaseNeedDirectMemory() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PerfRing(ByteBuffer.allocate(2 * PAGE_SIZE), 0, PAGE_SIZE));

        assertTrue(e.getMessage().contains("direct ByteBuffer"), e.getMessage());
    }

    @Test
    void aMappingWithoutRoomForADataAreaIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new PerfRing(ByteBuffer.allocateDirect(PAGE_SIZE), 0, PAGE_SIZE));
    }

    @Test
    void recordTypesAreNamedAsTheKernelNamesThem() {
        assertEquals("SAMPLE", PerfRecordType.name(PerfRecordType.SAMPLE));
        assertEquals("LOST", PerfRecordType.name(2));
        assertEquals("UNTHROTTLE", PerfRecordType.name(6));
        assertEquals("AUX_OUTPUT_HW_ID", PerfRecordType.name(21));
        assertEquals("UNKNOWN(0)", PerfRecordType.name(0));
        assertEquals("UNKNOWN(4294967295)", PerfRecordType.name(-1));
    }
}
