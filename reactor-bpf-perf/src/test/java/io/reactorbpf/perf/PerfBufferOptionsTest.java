package io.reactorbpf.perf;

import io.reactorbpf.core.sys.Kernel;
import io.reactorbpf.core.sys.PerfEventAttr;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PerfBufferOptionsTest {

    @Test
    void theDefaultsAdaptTheirWakeupsAndBoundLatencyToAMillisecond() {
        PerfBufferOptions d = PerfBufferOptions.defaults();
        assertEquals(PerfBufferOptions.DEFAULT_PAGES, d.pages());
        assertEquals(Wakeup.adaptive(), d.wakeup());
        assertEquals(1, d.singleWakeupAttr().wakeup());
        assertFalse(d.singleWakeupAttr().isWatermark());
        assertEquals(Duration.ofMillis(1), d.latencyBound());
        assertEquals(1, d.peekMillis());
        assertTrue(d.attr().isWatermark());
        assertEquals(d.pages() * Kernel.pageSize() / 4, d.attr().wakeup());
        assertFalse(d.isRaw());
    }

    @Test
    void ringsAdaptiveWakeupsCannotServeDefaultToAQuarterRingWatermark() {
        assertEquals(Wakeup.quarterRing(), PerfBufferOptions.builder().overwritable(true).build().wakeup());
        assertEquals(Wakeup.quarterRing(), PerfBufferOptions.builder().latencyBound(Duration.ZERO).build().wakeup());
        assertEquals(Wakeup.quarterRing(), PerfBufferOptions.builder()
                .raw(io.reactorbpf.core.sys.PerfEventAttr.bpfOutput(1), new int[] {0}, new int[] {0}).build().wakeup());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PerfBufferOptions.builder().wakeup(Wakeup.adaptive()).overwritable(true).build());
        assertTrue(e.getMessage().contains("overwritable rings are read only by snapshots"), e.getMessage());
    }

    @Test
    void libbpfsDefaultsWakeForEverySampleWithoutATimedPeek() {
        PerfBufferOptions l = PerfBufferOptions.libbpfDefaults();
        assertEquals(Wakeup.everySample(), l.wakeup());
        assertEquals(-1, l.peekMillis());
        assertFalse(l.attr().isWatermark());
        assertEquals(1, l.attr().wakeup());
    }

    @Test
    void validationDoesNotDependOnTheOrderOptionsAreSetIn() {
        int bytes = 262_144;
        assertThrows(IllegalArgumentException.class,
                () -> PerfBufferOptions.builder().wakeup(Wakeup.watermark(bytes)).pages(1).build());
        assertThrows(IllegalArgumentException.class,
                () -> PerfBufferOptions.builder().pages(1).wakeup(Wakeup.watermark(bytes)).build());
        assertThrows(IllegalArgumentException.class,
                () -> PerfBufferOptions.builder().maxSampleSize(8192).pages(1).build());
        assertThrows(IllegalArgumentException.class,
                () -> PerfBufferOptions.builder().pages(1).maxSampleSize(8192).build());
        PerfBufferOptions fits = PerfBufferOptions.builder().wakeup(Wakeup.watermark(bytes)).pages(64).build();
        assertEquals(fits, PerfBufferOptions.builder().pages(64).wakeup(Wakeup.watermark(bytes)).build());
    }

    @Test
    void badValuesAreRefusedWithWhatWasWrong() {
        IllegalArgumentException pages = assertThrows(IllegalArgumentException.class,
                () -> PerfBufferOptions.builder().pages(3).build());
        assertTrue(pages.getMessage().contains("power of two"), pages.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Wakeup.events(0));
        assertThrows(IllegalArgumentException.class, () -> Wakeup.watermark(-1));
        assertThrows(IllegalArgumentException.class,
                () -> PerfBufferOptions.builder().latencyBound(Duration.ofMillis(-1)).build());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> PerfBufferOptions.builder().pages(1).maxSampleSize(8192).build());
        assertTrue(big.getMessage().contains("uncounted"), big.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> PerfBufferOptions.builder().raw(PerfEventAttr.bpfOutput(1), new int[] {0, 1}, new int[] {0}));
        assertThrows(IllegalArgumentException.class,
                () -> PerfBufferOptions.builder().raw(PerfEventAttr.bpfOutput(1), new int[] {0}, new int[] {-1}));
    }

    @Test
    void theRawVariantKeepsCopiesOfWhatTheCallerPassed() {
        PerfEventAttr attr = PerfEventAttr.bpfOutput(1).wakeupEvents(7);
        int[] cpus = {0};
        int[] keys = {3};
        PerfBufferOptions raw = PerfBufferOptions.builder().raw(attr, cpus, keys).build();
        attr.wakeupEvents(99);
        cpus[0] = 5;
        keys[0] = 6;
        assertEquals(7, raw.attr().wakeup());
        assertEquals(0, raw.raw().cpus()[0]);
        assertEquals(3, raw.raw().keys()[0]);
        assertNotSame(raw.attr(), raw.attr(), "every caller gets its own attr to change");
        raw.raw().cpus()[0] = 9;
        assertEquals(0, raw.raw().cpus()[0]);
    }

    @Test
    void toBuilderChangesOneOptionAndKeepsTheRest() {
        PerfBufferOptions base = PerfBufferOptions.builder().pages(8).wakeup(Wakeup.events(64)).build();
        PerfBufferOptions changed = base.toBuilder().latencyBound(Duration.ZERO).build();
        assertEquals(8, changed.pages());
        assertEquals(Wakeup.events(64), changed.wakeup());
        assertEquals(Duration.ZERO, changed.latencyBound());
    }
}
