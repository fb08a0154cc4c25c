package io.reactorbpf.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {

    @Test
    void everyLatencyFallsInABucketWhoseUpperBoundIsWithinThreePercentAbove() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long nanos = random.nextLong(1L << random.nextInt(1, 62));
            long upper = LatencyHistogram.upper(LatencyHistogram.bucket(nanos));
            assertTrue(upper >= nanos && upper <= nanos + Math.max(1, nanos / 31), nanos + " -> " + upper);
        }
    }

    @Test
    void bucketsAreOrderedLikeTheLatenciesTheyHold() {
        int previous = -1;
        for (long nanos = 0; nanos < 1 << 20; nanos += 7) {
            int bucket = LatencyHistogram.bucket(nanos);
            assertTrue(bucket >= previous, "bucket of " + nanos);
            previous = bucket;
        }
    }

    @Test
    void quantilesNameTheBucketOfTheRankedLatency() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long nanos = 1; nanos <= 100; nanos++) {
            histogram.record(nanos * 1_000);
        }
        assertEquals(100, histogram.total());
        assertEquals(LatencyHistogram.upper(LatencyHistogram.bucket(51_000)), histogram.quantile(0.50));
        assertEquals(LatencyHistogram.upper(LatencyHistogram.bucket(100_000)), histogram.quantile(0.99));
    }

    @Test
    void anEmptyHistogramHasNoQuantile() {
        assertEquals(-1, new LatencyHistogram().quantile(0.5));
    }
}
