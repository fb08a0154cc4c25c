package io.reactorbpf.core.object;

import io.reactorbpf.core.map.LossCounter;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.core.testing.RingBufLostObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ring buffer loss counting added at load, on the committed ringbuf_lost object with no reader: its rings fill, and
 * the loader's counters must equal the failures the program counts itself, ring by ring.
 */
@KernelTest
class RingBufLossCountingKernelTest {

    @Test
    void theCountedProgramsPassTheVerifierAndCountEveryFailureOfTheirOwnRing() {
        try (RingBufLostObject rb = RingBufLostObject.load(64)) {
            GetpgidSampler.trigger(50);

            LossCounter reserved = rb.reserved().lossCounter().orElseThrow();
            LossCounter output = rb.output().lossCounter().orElseThrow();
            assertEquals(50 * 64, rb.reserveAttempts());
            assertTrue(rb.reserveFailures() > 0 && rb.outputFailures() > 0, "4 KiB rings overflow");
            assertEquals(rb.reserveFailures(), reserved.read(), "failed bpf_ringbuf_reserve calls");
            assertEquals(rb.outputFailures(), output.read(), "failed bpf_ringbuf_output calls");
            assertFalse(reserved.offset() == output.offset(), "each ring has its own counter");
        }
    }

    @Test
    void countsAreZeroWhileEverySampleFits() {
        try (RingBufLostObject rb = RingBufLostObject.load(1)) {
            GetpgidSampler.trigger(10);

            assertEquals(10, rb.reserveAttempts());
            assertEquals(0, rb.reserveFailures());
            assertEquals(0, rb.reserved().lossCounter().orElseThrow().read());
            assertEquals(0, rb.output().lossCounter().orElseThrow().read());
        }
    }

    @Test
    void turnedOffNothingIsAddedAndNoRingCarriesACounter() {
        try (RingBufLostObject rb = RingBufLostObject.load(64, spec -> spec.countRingBufLosses(false))) {
            GetpgidSampler.trigger(5);

            assertTrue(rb.reserveFailures() > 0);
            assertTrue(rb.reserved().lossCounter().isEmpty());
            assertTrue(rb.output().lossCounter().isEmpty());
            assertThrows(ObjectFormatException.class, () -> rb.object().map("ringbuf_.rblost"));
        }
    }

    @Test
    void theLossArrayIsOneOfTheObjectsMapsAndClosesWithIt() {
        RingBufLostObject rb = RingBufLostObject.load(1);
        LossCounter counter = rb.reserved().lossCounter().orElseThrow();
        assertEquals(counter.counters(), rb.object().map("ringbuf_.rblost"));
        rb.close();
        assertThrows(RuntimeException.class, counter::read);
    }
}
