package io.reactorbpf.spring.boot;

import io.reactorbpf.perf.Wakeup;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stream's properties are checked one by one when bound; the wakeup is read from its text forms. */
class BpfStreamPropertiesTest {

    private static Optional<Wakeup> wakeup(String text) {
        return new BpfStreamProperties(null, text, null, 1, null, null).wakeupChoice();
    }

    private static String refusal(Integer pages, String wakeup, Duration bound, int buffer) {
        return assertThrows(IllegalArgumentException.class,
                () -> new BpfStreamProperties(pages, wakeup, bound, buffer, null, null)).getMessage();
    }

    @Test
    void everyWakeupOfTheLibraryHasATextForm() {
        assertEquals(Optional.of(Wakeup.adaptive()), wakeup("adaptive"));
        assertEquals(Optional.of(Wakeup.everySample()), wakeup("every-sample"));
        assertEquals(Optional.of(Wakeup.quarterRing()), wakeup("Quarter-Ring"));
        assertEquals(Optional.of(Wakeup.events(64)), wakeup("events:64"));
        assertEquals(Optional.of(Wakeup.watermark(16384)), wakeup("watermark:16KB"));
        assertEquals(Optional.of(Wakeup.watermark(4096)), wakeup("watermark:4096"));
        assertEquals(Optional.empty(), wakeup(null));
    }

    @Test
    void aMalformedWakeupNamesTheFormsItTakes() {
        assertTrue(refusal(null, "events:0", null, 1).contains("give events:N or watermark:SIZE with a positive"));
        assertTrue(refusal(null, "watermark:lots", null, 1).contains("wakeup 'watermark:lots' is malformed"));
        assertTrue(refusal(null, "often", null, 1).contains("is none of adaptive, every-sample, quarter-ring"));
    }

    @Test
    void pagesArePowersOfTwo() {
        assertEquals("pages must be a power of two, got 3", refusal(3, null, null, 1));
        assertEquals("pages must be a power of two, got 0", refusal(0, null, null, 1));
    }

    @Test
    void aSubscriberBufferHoldsAtLeastOneEventAndTheLatencyBoundIsNotNegative() {
        assertTrue(refusal(null, null, null, 0).startsWith("subscriber-buffer must hold at least 1 event"));
        assertTrue(refusal(null, null, Duration.ofMillis(-1), 1).startsWith("latency-bound must not be negative"));
    }
}
