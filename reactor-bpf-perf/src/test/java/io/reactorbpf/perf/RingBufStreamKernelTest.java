package io.reactorbpf.perf;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.testing.GetpgidLoad;
import io.reactorbpf.core.testing.GetpgidRingSampler;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.core.testing.OpenDescriptors;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.StepVerifier;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
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

/** {@link RingBufStream} against a real tracepoint program writing with bpf_ringbuf_output. */
@KernelTest
class RingBufStreamKernelTest {

    private static final RecordDecoder<Long> SEQUENCE = (cpu, data, offset, length) -> data.getLong(offset);

    @Test
    void everySampleArrivesOnceInOrderWithItsPayload() {
        try (GetpgidRingSampler sampler = GetpgidRingSampler.forThisProcess("rbs_exact", 24, 1 << 16).attach()) {
            BitSet seen = new BitSet();
            StepVerifier.create(RingBufStream.samples(sampler.ring()).take(2_000))
                    .then(() -> GetpgidSampler.trigger(2_000))
                    .thenConsumeWhile(s -> {
                        assertEquals(RingBuf.NO_CPU, s.cpu());
                        assertEquals(24, s.size());
                        seen.set((int) ByteBuffer.wrap(s.data()).order(ByteOrder.nativeOrder()).getLong(0));
                        return true;
                    })
                    .expectComplete()
                    .verify(Duration.ofSeconds(20));
            assertEquals(2_000, seen.cardinality());
            assertEquals(2_000, seen.nextClearBit(0));
            assertEquals(0, sampler.failed());
        }
    }

    @Test
    void withoutDemandTheRingFillsAndProducedIsDeliveredPlusFailed() throws Exception {
        try (GetpgidRingSampler sampler = GetpgidRingSampler.forThisProcess("rbs_nodemand", 64, 4096).attach()) {
            AtomicLong delivered = new AtomicLong();
            BaseSubscriber<Long> subscriber = new BaseSubscriber<>() {
                @Override
                protected void hookOnSubscribe(org.reactivestreams.Subscription s) {
                }

                @Override
                protected void hookOnNext(Long value) {
                    delivered.incrementAndGet();
                }
            };
            RingBufStream<Long> stream = RingBufStream.decode(sampler.ring(), SEQUENCE);
            stream.subscribe(subscriber);
            GetpgidSampler.trigger(300);
            Thread.sleep(50);
            assertEquals(0, delivered.get(), "nothing without demand");
            assertTrue(sampler.failed() > 0, "300 samples of 72 bytes overflow a 4 KiB ring");
            subscriber.request(Long.MAX_VALUE);
            await(() -> delivered.get() + sampler.failed() == sampler.produced(), "produced == delivered + failed");
            subscriber.dispose();
        }
    }

    @Test
    void completeHandsOutWhatWasReservedThenCompletes() {
        try (GetpgidRingSampler sampler = GetpgidRingSampler.forThisProcess("rbs_complete", 16, 1 << 14).attach()) {
            RingBufStream<Long> stream = RingBufStream.decode(sampler.ring(), SEQUENCE);
            StepVerifier.create(stream, 0)
                    .then(() -> {
                        GetpgidSampler.trigger(100);
                        assertTrue(stream.complete());
                    })
                    .thenRequest(Long.MAX_VALUE)
                    .expectNextCount(100)
                    .expectComplete()
                    .verify(Duration.ofSeconds(10));
            assertEquals(100, stream.rings().orElseThrow().samples());
        }
    }

    @Test
    void noDecoderCallStartsAfterCancelReturns() throws Exception {
        try (GetpgidRingSampler sampler = GetpgidRingSampler.forThisProcess("rbs_cancel", 16, 4096).attach();
             GetpgidLoad load = GetpgidLoad.start("rbs-cancel-load")) {
            AtomicLong started = new AtomicLong();
            RingBufStream<Long> stream = RingBufStream.decode(sampler.ring(), (cpu, data, offset, length) -> {
                started.incrementAndGet();
                LockSupport.parkNanos(ThreadLocalRandom.current().nextInt(20_000));
                return data.getLong(offset);
            });
            Map<String, Long> fds = OpenDescriptors.kernelObjects();
            for (int i = 0; i < 2_000; i++) {
                long before = started.get();
                Disposable d = stream.subscribe();
                if (i % 2 == 0) {
                    await(() -> started.get() > before, "the decoder runs");
                }
                d.dispose();
                long atCancel = started.get();
                await(() -> !stream.isLive(), "the poller released the ring");
                assertTrue(started.get() - atCancel <= 1, "decoder calls started after cancel returned");
            }
            assertEquals(fds, OpenDescriptors.kernelObjects(), "open descriptors after 2000 cancels");
        }
    }

    @Test
    void aCancelFromOnNextHandsTheRingToTheNextSubscriberWithoutLosingOrRepeatingASample() throws Exception {
        try (GetpgidRingSampler sampler = GetpgidRingSampler.forThisProcess("rbs_repeat", 16, 1 << 16).attach()) {
            RingBufStream<Long> stream = RingBufStream.decode(sampler.ring(), SEQUENCE);
            GetpgidSampler.trigger(600);
            List<Long> values = stream.take(7).repeat(49).collectList().block(Duration.ofSeconds(20));
            assertEquals(350, values.size());
            for (int i = 0; i < values.size(); i++) {
                assertEquals(i, values.get(i), "the samples in order, each once, across 50 subscriptions");
            }
        }
    }

    @Test
    void aSecondSubscriberFailsWithinFiftyMilliseconds() {
        try (GetpgidRingSampler sampler = GetpgidRingSampler.forThisProcess("rbs_second", 16, 4096)) {
            Disposable first = RingBufStream.samples(sampler.ring()).subscribe();
            try {
                AtomicReference<Throwable> error = new AtomicReference<>();
                long start = System.nanoTime();
                RingBufStream.samples(sampler.ring()).subscribe(s -> { }, error::set);
                assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(50));
                assertInstanceOf(IllegalStateException.class, error.get());
                assertTrue(error.get().getMessage().contains("share()"), error.get().getMessage());
            } finally {
                first.dispose();
            }
        }
    }

    @Test
    void closingTheMapEndsALiveStreamWithinOneHundredMillisecondsWithTheClosedError() throws Exception {
        try (GetpgidRingSampler sampler = GetpgidRingSampler.forThisProcess("rbs_close", 16, 4096).attach()) {
            BpfMap own = BpfMap.of(sampler.ring().fd().duplicate("test"), "rbs_close");
            CountDownLatch ended = new CountDownLatch(1);
            AtomicReference<Throwable> error = new AtomicReference<>();
            RingBufStream<PerfEvent.Sample> stream = RingBufStream.samples(own);
            stream.subscribe(s -> { }, e -> {
                error.set(e);
                ended.countDown();
            });
            GetpgidSampler.trigger(10);
            own.close();
            assertTrue(ended.await(100, TimeUnit.MILLISECONDS), "the stream ended within 100 ms of the close");
            assertInstanceOf(PerfBufferClosedException.class, error.get());
            assertTrue(error.get().getMessage().contains("map 'rbs_close' was closed"), error.get().getMessage());
            assertFalse(stream.isLive());
        }
    }

    @Test
    void aPerfEventArrayIsRefusedNamingItsReader() {
        try (GetpgidSampler perf = GetpgidSampler.forThisProcess("rbs_perf", 16)) {
            StepVerifier.create(RingBufStream.samples(perf.events()))
                    .expectErrorSatisfies(e -> assertTrue(e.getMessage().contains("PerfStream"), e.getMessage()))
                    .verify(Duration.ofSeconds(5));
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            LockSupport.parkNanos(20_000);
        }
    }
}
