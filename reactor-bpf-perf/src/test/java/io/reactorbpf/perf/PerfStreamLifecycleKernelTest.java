package io.reactorbpf.perf;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.testing.GetpgidLoad;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.core.testing.OpenDescriptors;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a {@link PerfStream} subscription ends: cancel, closing the map under it, a second subscriber; and what
 * the handle controls. Each runs against a real tracepoint program.
 */
@KernelTest
class PerfStreamLifecycleKernelTest {

    @Test
    void noDecoderCallStartsAfterCancelReturns() throws Exception {
        int cycles = 10_000;
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("cancel_decode", 16).attachWithLink()) {
            PerfBufferOptions options = PerfBufferOptions.builder().pages(1).wakeup(Wakeup.everySample()).build();
            AtomicLong started = new AtomicLong();
            AtomicLong nexts = new AtomicLong();
            PerfStream<Long> stream = PerfStream.decode(sampler.events(), options, (cpu, data, offset, length) -> {
                started.incrementAndGet();
                busy(ThreadLocalRandom.current().nextInt(20_000));
                return data.getLong(offset);
            });
            try (GetpgidLoad load = GetpgidLoad.start("cancel-decode-load")) {
                for (int i = 0; i < cycles; i++) {
                    long before = started.get();
                    BaseSubscriber<Long> subscriber = new BaseSubscriber<>() {
                        @Override
                        protected void hookOnNext(Long value) {
                            nexts.incrementAndGet();
                        }
                    };
                    stream.subscribe(subscriber);
                    long atLeast = i % 2 == 0 ? 1 : 0;
                    await(() -> started.get() - before >= atLeast, "the decoder runs");
                    subscriber.cancel();
                    long decodes = started.get();
                    long delivered = nexts.get();
                    await(() -> !stream.isLive(), "the poller released the rings");
                    assertTrue(started.get() - decodes <= 1, "decoder calls started after cancel returned: "
                            + (started.get() - decodes));
                    assertTrue(nexts.get() - delivered <= 1, "onNext calls after cancel returned");
                }
            }
        }
    }

    @Test
    void cancelDuringASlowDecoderReleasesTheRingsAfterThatOneCall() throws Exception {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("slow_decode", 16).attachWithLink()) {
            AtomicLong calls = new AtomicLong();
            CountDownLatch inDecoder = new CountDownLatch(1);
            PerfStream<Long> stream = PerfStream.decode(sampler.events(), PerfBufferOptions.builder().pages(8).build(),
                    (cpu, data, offset, length) -> {
                        calls.incrementAndGet();
                        inDecoder.countDown();
                        busy(2_000_000);
                        return data.getLong(offset);
                    });
            reactor.core.Disposable d = stream.subscribe();
            GetpgidSampler.trigger(1_000);
            assertTrue(inDecoder.await(5, TimeUnit.SECONDS));
            d.dispose();
            long atCancel = calls.get();
            await(() -> !stream.isLive(), "the poller released the rings");
            assertTrue(calls.get() - atCancel <= 1, (calls.get() - atCancel) + " decoder calls after cancel");
        }
    }

    @Test
    void aSecondSubscriberFailsWithinFiftyMilliseconds() {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("second", 16).attachWithLink()) {
            reactor.core.Disposable first = PerfStream.events(sampler.events()).subscribe();
            try {
                AtomicReference<Throwable> error = new AtomicReference<>();
                long start = System.nanoTime();
                PerfStream.events(sampler.events()).subscribe(e -> { }, error::set);
                long took = System.nanoTime() - start;
                assertInstanceOf(IllegalStateException.class, error.get());
                assertTrue(error.get().getMessage().contains("share()"), error.get().getMessage());
                assertTrue(took < TimeUnit.MILLISECONDS.toNanos(50), "failed after " + took / 1_000_000 + " ms");
            } finally {
                first.dispose();
            }
        }
    }

    @Test
    void closingTheMapEndsALiveStreamWithinOneHundredMillisecondsWithTheClosedError() throws Exception {
        GetpgidSampler sampler = GetpgidSampler.forThisProcess("map_close", 16).attachWithLink();
        try {
            long mappings = OpenDescriptors.perfMappings();
            CountDownLatch ended = new CountDownLatch(1);
            AtomicReference<Throwable> error = new AtomicReference<>();
            PerfStream<PerfEvent> stream = PerfStream.events(sampler.events());
            stream.subscribe(e -> { }, e -> {
                error.set(e);
                ended.countDown();
            }, ended::countDown);
            GetpgidSampler.trigger(10);
            long start = System.nanoTime();
            sampler.events().close();
            assertTrue(ended.await(100, TimeUnit.MILLISECONDS), "the stream ended within 100 ms of the close");
            long took = System.nanoTime() - start;
            assertInstanceOf(PerfBufferClosedException.class, error.get(), "ended with " + error.get());
            assertTrue(error.get().getMessage().contains("map 'map_close' was closed"), error.get().getMessage());
            assertFalse(stream.isLive());
            assertEquals(mappings, OpenDescriptors.perfMappings(), "the rings were unmapped before the signal");
            assertTrue(took < TimeUnit.MILLISECONDS.toNanos(100));
        } finally {
            sampler.close();
        }
    }

    @Test
    void aThousandCancelsUnderLoadLeakNothing() throws Exception {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("churn", 16).attachWithLink();
             GetpgidLoad load = GetpgidLoad.start("churn-load")) {
            PerfBufferOptions options = PerfBufferOptions.builder().pages(1).build();
            cancelCycle(sampler, options);
            Map<String, Long> fds = OpenDescriptors.kernelObjects();
            long mappings = OpenDescriptors.perfMappings();
            for (int i = 0; i < 1_000; i++) {
                cancelCycle(sampler, options);
            }
            assertEquals(fds, OpenDescriptors.kernelObjects(), "open descriptors after 1000 cancels");
            assertEquals(mappings, OpenDescriptors.perfMappings(), "perf ring mappings after 1000 cancels");
        }
    }

    /**
     * Each cycle opens the map anew (a second descriptor of the program's map, as an object's own {@link BpfMap}
     * is), streams from it and closes it while the program writes: what closing an object does to its streams.
     */
    @Test
    void aThousandMapClosesUnderLiveStreamsLeakNothing() throws Exception {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("close_churn", 16).attachWithLink();
             GetpgidLoad load = GetpgidLoad.start("close-churn-load")) {
            mapCloseCycle(sampler);
            Map<String, Long> fds = OpenDescriptors.kernelObjects();
            long mappings = OpenDescriptors.perfMappings();
            for (int i = 0; i < 1_000; i++) {
                mapCloseCycle(sampler);
            }
            assertEquals(fds, OpenDescriptors.kernelObjects(), "open descriptors after closing 1000 maps under streams");
            assertEquals(mappings, OpenDescriptors.perfMappings(), "perf ring mappings after closing maps");
        }
    }

    private static void cancelCycle(GetpgidSampler sampler, PerfBufferOptions options) throws Exception {
        PerfStream<PerfEvent> stream = PerfStream.events(sampler.events(), options);
        reactor.core.Disposable d = stream.subscribe();
        if (ThreadLocalRandom.current().nextBoolean()) {
            busy(ThreadLocalRandom.current().nextInt(100_000));
        }
        d.dispose();
        await(() -> !stream.isLive(), "the poller released the rings");
    }

    private static void mapCloseCycle(GetpgidSampler sampler) throws Exception {
        BpfMap map = BpfMap.of(sampler.events().fd().duplicate("close cycle"), "close_cycle");
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<Throwable> error = new AtomicReference<>();
        PerfStream.events(map, PerfBufferOptions.builder().pages(1).build()).subscribe(e -> { }, e -> {
            error.set(e);
            ended.countDown();
        });
        if (ThreadLocalRandom.current().nextBoolean()) {
            busy(ThreadLocalRandom.current().nextInt(100_000));
        }
        map.close();
        assertTrue(ended.await(5, TimeUnit.SECONDS), "the stream ended when its map closed");
        assertInstanceOf(PerfBufferClosedException.class, error.get());
    }

    @Test
    void aCancelFromOnNextLetsRepeatResubscribeOnTheSameMap() throws Exception {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("repeat", 16).attachWithLink();
             GetpgidLoad load = GetpgidLoad.start("repeat-load")) {
            PerfStream<PerfEvent.Sample> stream = PerfStream.samples(sampler.events(), PerfBufferOptions.defaults());
            StepVerifier.create(stream.take(2).repeat(2).count())
                    .expectNext(6L)
                    .expectComplete()
                    .verify(Duration.ofSeconds(10));
        }
    }

    @Test
    void theHandlePausesResumesAndCompletesOnlyItsOwnSubscription() throws Exception {
        try (GetpgidSampler one = GetpgidSampler.forThisProcess("own_one", 16).attachWithLink();
             GetpgidSampler two = GetpgidSampler.forThisProcess("own_two", 16).attachWithLink()) {
            PerfStream<PerfEvent> first = PerfStream.events(one.events());
            PerfStream<PerfEvent> second = PerfStream.events(two.events());
            AtomicLong fromFirst = new AtomicLong();
            AtomicLong fromSecond = new AtomicLong();
            reactor.core.Disposable a = first.subscribe(e -> fromFirst.incrementAndGet());
            reactor.core.Disposable b = second.subscribe(e -> fromSecond.incrementAndGet());
            try {
                first.pause();
                PerfBufferKernelTest.awaitPaused(first, true);
                assertFalse(second.isPaused(), "pausing one stream leaves another map's stream alone");
                GetpgidSampler.trigger(20);
                await(() -> fromSecond.get() == 20, "the other stream delivers");
                assertEquals(0, fromFirst.get(), "a paused stream delivers nothing");
                assertEquals(0, first.rings().orElseThrow().lost(), "and counts nothing as lost");
                first.resume();
                PerfBufferKernelTest.awaitPaused(first, false);
                GetpgidSampler.trigger(5);
                await(() -> fromFirst.get() == 5, "the resumed stream delivers");
                assertTrue(first.complete());
                await(() -> !first.isLive(), "complete ends the subscription");
                assertTrue(second.isLive(), "completing one stream leaves the other running");
                assertEquals(5, first.rings().orElseThrow().samples(), "the ended subscription's totals stay");
            } finally {
                a.dispose();
                b.dispose();
            }
        }
    }

    @Test
    void aPauseAskedBeforeSubscribingHoldsFromTheFirstRecord() throws Exception {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("paused_early", 16).attachWithLink()) {
            PerfStream<PerfEvent> stream = PerfStream.events(sampler.events());
            stream.pause();
            assertTrue(stream.isPaused());
            AtomicLong delivered = new AtomicLong();
            reactor.core.Disposable d = stream.subscribe(e -> delivered.incrementAndGet());
            try {
                assertTrue(stream.isPaused(), "the rings opened with their slots clear");
                GetpgidSampler.trigger(10);
                Thread.sleep(50);
                assertEquals(0, delivered.get());
                assertEquals(10, sampler.produced());
                stream.resume();
                PerfBufferKernelTest.awaitPaused(stream, false);
                GetpgidSampler.trigger(3);
                await(() -> delivered.get() == 3, "samples after resume");
            } finally {
                d.dispose();
            }
        }
    }

    private static void busy(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            // parks rather than spins: the producer and the poller share the machine's cores with this thread
            LockSupport.parkNanos(20_000);
        }
    }
}
