package io.reactorbpf.perf.maps;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Histograms print column for column as libbpf-tools' print_log2_hist and print_linear_hist do: the expected
 * texts are what those functions print for the same slots.
 */
class HistogramTest {

    private static Histogram log2(long... counts) {
        return new Histogram(counts, HistogramScale.log2());
    }

    @Test
    void aLog2HistogramPrintsEverySlotUpToTheLastCountWithFortyStarsForTheLargest() {
        assertEquals("""
                     usecs               : count    distribution
                         0 -> 1          : 1        |********************                    |
                         2 -> 3          : 2        |****************************************|
                         4 -> 7          : 0        |                                        |
                         8 -> 15         : 0        |                                        |
                        16 -> 31         : 0        |                                        |
                        32 -> 63         : 0        |                                        |
                        64 -> 127        : 1        |********************                    |
                       128 -> 255        : 0        |                                        |
                       256 -> 511        : 0        |                                        |
                       512 -> 1023       : 2        |****************************************|
                """, log2(1, 2, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0).text("usecs"));
    }

    @Test
    void starsAreTheCountTimesFortyOverTheLargestRoundedDown() {
        assertEquals("""
                     Kbytes              : count    distribution
                         0 -> 1          : 3        |*****************                       |
                         2 -> 3          : 0        |                                        |
                         4 -> 7          : 7        |****************************************|
                """, log2(3, 0, 7).text("Kbytes"));
    }

    @Test
    void slotsPastThirtyTwoWidenTheColumnsAndHalveTheBar() {
        long[] counts = new long[35];
        counts[33] = 7;
        counts[34] = 1;
        String[] lines = log2(counts).text("nsecs").split("\n");
        assertEquals(36, lines.length);
        assertEquals("               nsecs                         : count    distribution", lines[0]);
        assertEquals("                   0 -> 1                    : 0        |                    |", lines[1]);
        assertEquals("          8589934592 -> 17179869183          : 7        |********************|", lines[34]);
        assertEquals("         17179869184 -> 34359738367          : 1        |**                  |", lines[35]);
    }

    @Test
    void aLinearHistogramPrintsOnlyTheSlotsWithCountsFromTheBaseInSteps() {
        assertEquals("""
                     MHz           : count     distribution
                        200        : 5        |****************************************|
                        400        : 3        |************************                |
                """, new Histogram(new long[] {0, 0, 5, 0, 3, 0}, HistogramScale.linear(0, 100)).text("MHz"));
    }

    @Test
    void anEmptyHistogramPrintsNothingAsTheToolsDo() {
        assertEquals("", log2(0, 0, 0).text("usecs"));
        assertEquals("", new Histogram(new long[3], HistogramScale.linear(0, 1)).text("x"));
        assertTrue(log2(0, 0).isEmpty());
        assertEquals(List.of(), log2(0, 0).buckets());
    }

    @Test
    void countsAboveThirtyTwoBitsStayExact() {
        String[] lines = log2(0, 6_000_000_000L, 3_000_000_000L).text("usecs").split("\n");
        assertEquals("         2 -> 3          : 6000000000 |****************************************|", lines[2]);
        assertEquals("         4 -> 7          : 3000000000 |********************                    |", lines[3]);
    }

    @Test
    void log2BucketsRunFromSlotZeroToTheLastCountAndLinearOnesFromTheFirst() {
        assertEquals(List.of(new Histogram.Bucket(0, 1, 0), new Histogram.Bucket(2, 3, 4),
                new Histogram.Bucket(4, 7, 0), new Histogram.Bucket(8, 15, 1)), log2(0, 4, 0, 1, 0).buckets());
        assertEquals(List.of(new Histogram.Bucket(20, 29, 2), new Histogram.Bucket(30, 39, 0),
                new Histogram.Bucket(40, 49, 1)),
                new Histogram(new long[] {0, 2, 0, 1, 0}, HistogramScale.linear(10, 10)).buckets());
    }

    @Test
    void theTotalIsTheSumOfTheSlots() {
        assertEquals(8, log2(1, 2, 0, 5).total());
    }

    @Test
    void theLastLog2SlotEndsAtTwoToTheSixtyFourMinusOne() {
        long[] counts = new long[64];
        counts[63] = 1;
        assertEquals(new Histogram.Bucket(1L << 63, -1L, 1), log2(counts).buckets().get(63));
        assertTrue(log2(counts).text("x").contains("9223372036854775808 -> 18446744073709551615"));
    }

    @Test
    void moreSlotsThanTheScaleNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> log2(new long[65]));
        assertThrows(IllegalArgumentException.class, () -> HistogramScale.linear(0, 0));
    }
}
