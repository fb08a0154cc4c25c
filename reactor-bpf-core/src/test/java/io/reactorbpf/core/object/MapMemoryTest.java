package io.reactorbpf.core.object;

import io.reactorbpf.core.sys.MapType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kernel memory estimate of a map, as the map memory limit sees it. */
class MapMemoryTest {

    private static final long PAGE = 4096;

    @Test
    void anArrayTakesItsEntriesTimesTheValueRoundedUpToEightBytes() {
        assertEquals(MapMemory.MAP_OVERHEAD + 100 * 16, MapMemory.estimate(MapType.ARRAY, 4, 12, 100, 0, 2, PAGE));
    }

    @Test
    void aPerCpuArrayHoldsOneValuePerPossibleCpu() {
        long twoCpus = MapMemory.estimate(MapType.PERCPU_ARRAY, 4, 8, 1000, 0, 2, PAGE);
        long sixtyFourCpus = MapMemory.estimate(MapType.PERCPU_ARRAY, 4, 8, 1000, 0, 64, PAGE);
        assertEquals(MapMemory.MAP_OVERHEAD + 1000 * (8 + 2 * 8), twoCpus);
        assertEquals(MapMemory.MAP_OVERHEAD + 1000 * (8 + 64 * 8), sixtyFourCpus);
    }

    @Test
    void maxEntriesIsReadUnsignedAsTheKernelDoes() {
        int entries = (int) 2_463_786_194L;
        long estimate = MapMemory.estimate(MapType.PERCPU_ARRAY, 4, 8, entries, 0, 2, PAGE);
        assertEquals(MapMemory.MAP_OVERHEAD + 2_463_786_194L * 24, estimate);
    }

    @Test
    void aHashCountsElementHeadersAndAPowerOfTwoBucketTable() {
        long estimate = MapMemory.estimate(MapType.HASH, 4, 8, 1000, 0, 2, PAGE);
        assertTrue(estimate >= MapMemory.MAP_OVERHEAD + 1024 * 16 + 1000 * (8 + 8), "estimate " + estimate);
    }

    @Test
    void aRingBufferTakesItsDataPagesRoundedToAPowerOfTwo() {
        long estimate = MapMemory.estimate(MapType.RINGBUF, 0, 0, 5000, 0, 2, PAGE);
        assertEquals(MapMemory.MAP_OVERHEAD + 8192 + 3 * PAGE, estimate);
    }

    @Test
    void sizesThatOverflowSixtyFourBitsSaturateInsteadOfWrapping() {
        long estimate = MapMemory.estimate(MapType.PERCPU_HASH, -1, -1, -1, 0, 4096, PAGE);
        assertEquals(Long.MAX_VALUE, estimate);
    }

    @Test
    void everyMapTypeHasANonNegativeEstimate() {
        for (MapType type : MapType.values()) {
            assertTrue(MapMemory.estimate(type, 8, 8, 16, 0, 2, PAGE) >= MapMemory.MAP_OVERHEAD, type.name());
        }
    }
}
