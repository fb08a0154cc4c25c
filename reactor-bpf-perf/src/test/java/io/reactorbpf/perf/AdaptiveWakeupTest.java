package io.reactorbpf.perf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rate rule of {@link Wakeup#adaptive()}, on a clock of the test's own. */
class AdaptiveWakeupTest {

    private static final long MS = 1_000_000L;
    private static final long BOUND = MS;

    @Test
    void aCpuStartsOnSingleWakeupsAndStaysThereAtALowRate() {
        AdaptiveWakeup w = new AdaptiveWakeup(0);
        for (long t = 1; t <= 1000; t++) {
            // 1,000 samples a second for a second
            assertFalse(w.observe(1, t * MS, BOUND, true));
        }
        assertFalse(w.batched());
        assertFalse(w.needsPeeks(1000 * MS), "single wakeups need no timed peek");
    }

    @Test
    void aBurstSwitchesToBatchedWithinAWindowAndAQuietSpellSwitchesBack() {
        AdaptiveWakeup w = new AdaptiveWakeup(0);
        assertFalse(w.observe(100, MS, BOUND, true));
        assertTrue(w.observe(100, 2 * MS, BOUND, true), "200 samples in 2 ms is past 8,000 a second");
        assertTrue(w.batched());
        assertTrue(w.needsPeeks(2 * MS));
        // batched: the timed peeks keep looking, finding 10 samples a millisecond (10,000 a second)
        for (long t = 3; t < 60; t++) {
            assertFalse(w.observe(10, t * MS, BOUND, true));
        }
        // then 1 sample every 2 ms: 500 a second, below 2,000
        boolean back = false;
        long t = 59;
        while (!back && t < 120) {
            t++;
            back = w.observe(t % 2 == 0 ? 1 : 0, t * MS, BOUND, true);
        }
        assertTrue(back, "switched back to single wakeups");
        assertFalse(w.batched());
        assertTrue(w.needsPeeks(t * MS), "the batched ring is still looked at right after the switch");
        assertFalse(w.needsPeeks(t * MS + 2 * BOUND), "and no more once the latency bound has passed");
    }

    @Test
    void aRateBetweenTheThresholdsKeepsWhicheverSideItIsOn() {
        AdaptiveWakeup w = new AdaptiveWakeup(0);
        assertTrue(w.observe(200, MS, BOUND, true));
        for (long t = 2; t < 500; t++) {
            // 4,000 a second: below the switch up, above the switch down
            assertFalse(w.observe(4, t * MS, BOUND, true));
        }
        assertTrue(w.batched());
    }

    @Test
    void whileTheOtherRingHoldsRecordsTheRateIsCountedButTheSlotStays() {
        AdaptiveWakeup w = new AdaptiveWakeup(0);
        assertFalse(w.observe(100, MS, BOUND, false));
        assertFalse(w.observe(100, 2 * MS, BOUND, false), "past 8,000 a second, but the other ring is not empty");
        assertFalse(w.batched());
        assertTrue(w.observe(0, 3 * MS, BOUND, true), "once it is, the samples counted meanwhile decide");
        assertTrue(w.batched());
    }
}
