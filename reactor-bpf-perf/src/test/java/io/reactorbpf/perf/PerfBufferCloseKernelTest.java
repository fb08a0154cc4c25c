package io.reactorbpf.perf;

import io.reactorbpf.core.testing.GetpgidLoad;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.core.testing.OpenDescriptors;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PerfBuffer#close()} from any thread while another thread is inside {@link PerfBuffer#poll}: the poll
 * returns or throws {@link PerfBufferClosedException}, and nothing reads ring memory after it is unmapped.
 */
@KernelTest
class PerfBufferCloseKernelTest {

    private static final int CYCLES = 1_000;
    private static final RecordHandler IGNORE = new Counting();

    /** Counts samples and lost samples. */
    private static class Counting implements RecordHandler {
        long samples;
        long lost;

        @Override
        public void onSample(int cpu, ByteBuffer data, int offset, int length) {
            samples++;
        }

        @Override
        public void onLost(int cpu, long count) {
            lost += count;
        }
    }

    @Test
    void closeFromAnotherThreadEndsAnIdlePollWithNoTimeout() throws Exception {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("close_idle", 16).attachWithLink()) {
            PerfBufferOptions small = PerfBufferOptions.builder().pages(1).build();
            closeDuringPolls(sampler, small, -1, false);
        }
    }

    @Test
    void closeFromAnotherThreadEndsTimedPollsUnderLoad() throws Exception {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("close_load", 64).attachWithLink()) {
            try (GetpgidLoad load = GetpgidLoad.start("close-load")) {
                PerfBufferOptions batched = PerfBufferOptions.builder().pages(2).wakeup(Wakeup.events(4)).build();
                closeDuringPolls(sampler, batched, 50, true);
            }
        }
    }

    /**
     * Opens and closes {@link #CYCLES} buffers, each closed from this thread at a random moment while a reader
     * thread polls it; checks every reader ends with the typed exception and nothing stays open.
     */
    private static void closeDuringPolls(GetpgidSampler sampler, PerfBufferOptions options, int timeoutMillis,
                                         boolean expectRecords) throws Exception {
        cycle(sampler, options, timeoutMillis);
        Map<String, Long> fds = OpenDescriptors.kernelObjects();
        long mappings = OpenDescriptors.perfMappings();
        long records = 0;
        for (int i = 0; i < CYCLES; i++) {
            records += cycle(sampler, options, timeoutMillis);
        }
        assertEquals(fds, OpenDescriptors.kernelObjects(), "open descriptors after " + CYCLES + " close-during-poll cycles");
        assertEquals(mappings, OpenDescriptors.perfMappings(), "perf ring mappings");
        if (expectRecords) {
            assertTrue(records > 0, "the readers handled records while they ran");
        }
    }

    private static long cycle(GetpgidSampler sampler, PerfBufferOptions options, int timeoutMillis) throws Exception {
        PerfBuffer buffer = PerfBuffer.open(sampler.events(), options, IGNORE);
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        long[] handled = {0};
        Thread reader = new Thread(() -> {
            try {
                while (true) {
                    handled[0] += buffer.poll(timeoutMillis);
                }
            } catch (PerfBufferClosedException closed) {
                // the way a poll learns its buffer was closed
            } catch (Throwable t) {
                unexpected.set(t);
            }
        }, "close-reader");
        reader.start();
        int wait = ThreadLocalRandom.current().nextInt(200);
        if (wait > 100) {
            Thread.sleep(0, (wait - 100) * 10_000);
        } else {
            Thread.onSpinWait();
        }
        buffer.close();
        reader.join(Duration.ofSeconds(5).toMillis());
        assertFalse(reader.isAlive(), "the polling thread ended after close");
        assertNull(unexpected.get(), () -> "the polling thread failed: " + unexpected.get());
        return handled[0];
    }

    @Test
    void everyCallAfterCloseThrowsTheTypedExceptionAndCloseTwiceIsHarmless() {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("closed_calls", 16)) {
            PerfBuffer buffer = PerfBuffer.open(sampler.events(), PerfBufferOptions.defaults(), IGNORE);
            buffer.close();
            buffer.close();
            PerfBufferClosedException e = assertThrows(PerfBufferClosedException.class, () -> buffer.poll(0));
            assertTrue(e.getMessage().contains("closed_calls"), e.getMessage());
            assertThrows(PerfBufferClosedException.class, buffer::consume);
            assertThrows(PerfBufferClosedException.class, () -> buffer.consumeBuffer(0));
            assertThrows(PerfBufferClosedException.class, buffer::finish);
            assertThrows(PerfBufferClosedException.class, buffer::hasData);
            buffer.wakeup();
            assertTrue(buffer.isPaused(), "a closed buffer's slots are clear");
        }
    }

    @Test
    void closingTheMapClosesTheBufferAndEndsAPollOnAnotherThread() throws Exception {
        GetpgidSampler sampler = GetpgidSampler.forThisProcess("map_closed", 16).attachWithLink();
        try {
            PerfBuffer buffer = PerfBuffer.open(sampler.events(), PerfBufferOptions.defaults(), IGNORE);
            AtomicReference<Throwable> ended = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        buffer.poll(-1);
                    }
                } catch (Throwable t) {
                    ended.set(t);
                }
            }, "map-close-reader");
            reader.start();
            long mappings = OpenDescriptors.perfMappings();
            sampler.events().close();
            reader.join(Duration.ofSeconds(5).toMillis());
            assertFalse(reader.isAlive(), "the poll ended when the map closed");
            assertTrue(ended.get() instanceof PerfBufferClosedException, "ended with " + ended.get());
            assertTrue(ended.get().getMessage().contains("map 'map_closed' was closed"), ended.get().getMessage());
            assertTrue(OpenDescriptors.perfMappings() < mappings, "the rings were unmapped");
            buffer.close();
        } finally {
            sampler.close();
        }
    }

    @Test
    void finishHandsOutWhatTheRingsHoldAndThenResumeIsRefused() {
        Counting count = new Counting();
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("finish", 16).attachWithLink();
             PerfBuffer buffer = PerfBuffer.open(sampler.events(), PerfBufferOptions.defaults(), count)) {
            GetpgidSampler.trigger(25);
            assertEquals(25, buffer.finish());
            assertTrue(buffer.isPaused(), "finish clears the slots");
            GetpgidSampler.trigger(10);
            assertEquals(0, buffer.poll(0), "nothing more arrives");
            assertEquals(0, buffer.consume());
            IllegalStateException e = assertThrows(IllegalStateException.class, buffer::resume);
            assertTrue(e.getMessage().contains("finish()"), e.getMessage());
            assertEquals(25, count.samples);
        }
    }

    @Test
    void aHandlerThatClosesItsBufferEndsThePollAfterItsRecord() {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("self_close", 16).attachWithLink()) {
            PerfBuffer[] self = new PerfBuffer[1];
            long[] calls = {0};
            RecordHandler closing = new Counting() {
                @Override
                public void onSample(int cpu, ByteBuffer data, int offset, int length) {
                    calls[0]++;
                    self[0].close();
                }
            };
            self[0] = PerfBuffer.open(sampler.events(), PerfBufferOptions.defaults(), closing);
            GetpgidSampler.trigger(10);
            assertEquals(1, self[0].consume(), "the pass stops after the record whose handler closed the buffer");
            assertEquals(1, calls[0]);
            assertThrows(PerfBufferClosedException.class, () -> self[0].poll(0));
        }
    }
}
