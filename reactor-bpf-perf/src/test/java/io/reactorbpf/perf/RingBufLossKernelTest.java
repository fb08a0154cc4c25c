package io.reactorbpf.perf;

import io.reactorbpf.core.testing.GetpgidLoad;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.core.testing.RingBufLostObject;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.scheduler.Schedulers;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ring buffer losses counted by the loader's instrumentation, read back by the readers: on the committed
 * ringbuf_lost object, whose programs count what they attempted and what failed, what a reader gets must add up
 * exactly, ring by ring: attempted == delivered + lost, and lost == the program's own failures.
 */
@KernelTest
class RingBufLossKernelTest {

    @Test
    void aStreamWithoutDemandDeliversTheFullRingThenOneLostForTheRest() throws Exception {
        try (RingBufLostObject rb = RingBufLostObject.load(64)) {
            RingBufStream<PerfEvent> stream = RingBufStream.events(rb.reserved());
            Collector collector = new Collector();
            stream.subscribe(collector);
            GetpgidSampler.trigger(20);

            collector.request(Long.MAX_VALUE);
            assertTrue(stream.complete());
            assertTrue(collector.done.await(10, TimeUnit.SECONDS), "completed");

            List<PerfEvent> events = collector.events;
            long samples = events.stream().filter(e -> e instanceof PerfEvent.Sample).count();
            assertEquals(20 * 64, rb.reserveAttempts());
            assertTrue(rb.reserveFailures() > 0, "a 4 KiB ring cannot hold 1280 samples");
            assertEquals(rb.reserveAttempts() - rb.reserveFailures(), samples, "delivered");
            PerfEvent.Lost lost = assertInstanceOf(PerfEvent.Lost.class, events.get(events.size() - 1),
                    "the loss comes after the samples that filled the ring");
            assertEquals(rb.reserveFailures(), lost.count());
            assertEquals(RingBuf.NO_CPU, lost.cpu());
            PerfRingCounters counters = stream.rings().orElseThrow().rings().get(0).counters();
            assertEquals(samples, counters.samples());
            assertEquals(rb.reserveFailures(), counters.lost());
        }
    }

    @Test
    void underASlowConsumerAttemptedIsDeliveredPlusLostExactly() throws Exception {
        try (RingBufLostObject rb = RingBufLostObject.load(8)) {
            AtomicLong delivered = new AtomicLong();
            AtomicLong lost = new AtomicLong();
            RingBufStream<Long> stream = RingBufStream.decode(rb.reserved(), RingBufOptions.defaults(),
                    (cpu, data, offset, length) -> data.getLong(offset), (cpu, count) -> -count);
            CountDownLatch done = new CountDownLatch(1);
            stream.publishOn(Schedulers.boundedElastic(), 16)
                    .doOnNext(v -> {
                        if (v < 0) {
                            lost.addAndGet(-v);
                        } else {
                            delivered.incrementAndGet();
                            if (delivered.get() % 64 == 0) {
                                sleepMillis(1);
                            }
                        }
                    })
                    .doOnTerminate(done::countDown)
                    .subscribe();
            try (GetpgidLoad load = GetpgidLoad.start("rb-loss-load")) {
                Thread.sleep(500);
            }
            assertTrue(stream.complete());
            assertTrue(done.await(20, TimeUnit.SECONDS), "completed");

            assertTrue(rb.reserveFailures() > 0, "the consumer fell behind");
            assertEquals(rb.reserveFailures(), lost.get(), "lost");
            assertEquals(rb.reserveAttempts(), delivered.get() + lost.get(), "attempted == delivered + lost");
        }
    }

    @Test
    void aDecodeStreamCountsLossesInTheRingsCountersWithoutEmittingThem() throws Exception {
        try (RingBufLostObject rb = RingBufLostObject.load(64)) {
            RingBufStream<Long> stream = RingBufStream.decode(rb.output(), (cpu, data, offset, length) -> data.getLong(offset));
            Collector collector = new Collector();
            stream.subscribe(collector);
            GetpgidSampler.trigger(10);
            collector.request(Long.MAX_VALUE);
            stream.complete();
            assertTrue(collector.done.await(10, TimeUnit.SECONDS));

            assertEquals(rb.outputAttempts() - rb.outputFailures(), collector.events.size());
            PerfRingCounters counters = stream.rings().orElseThrow().rings().get(0).counters();
            assertEquals(rb.outputFailures(), counters.lost());
            assertEquals(1, counters.lostRecords());
        }
    }

    @Test
    void theBlockingReaderHandsEachRingsLossesToItsHandler() {
        try (RingBufLostObject rb = RingBufLostObject.load(64)) {
            Count reserved = new Count();
            Count output = new Count();
            try (RingBuffer buffer = RingBuffer.open(rb.reserved(), reserved)) {
                buffer.add(rb.output(), output);
                GetpgidSampler.trigger(10);
                buffer.consume();

                assertEquals(rb.reserveAttempts(), reserved.samples + reserved.lost);
                assertEquals(rb.reserveFailures(), reserved.lost);
                assertEquals(rb.outputAttempts(), output.samples + output.lost);
                assertEquals(rb.outputFailures(), output.lost);
                assertEquals(rb.outputFailures(), buffer.counters(1).lost());
            }
        }
    }

    @Test
    void withCountingTurnedOffNoLossIsReported() throws Exception {
        try (RingBufLostObject rb = RingBufLostObject.load(64, spec -> spec.countRingBufLosses(false))) {
            RingBufStream<PerfEvent> stream = RingBufStream.events(rb.reserved());
            Collector collector = new Collector();
            stream.subscribe(collector);
            GetpgidSampler.trigger(10);
            collector.request(Long.MAX_VALUE);
            stream.complete();
            assertTrue(collector.done.await(10, TimeUnit.SECONDS));

            assertTrue(rb.reserveFailures() > 0);
            assertTrue(collector.events.stream().allMatch(e -> e instanceof PerfEvent.Sample));
            assertEquals(0, stream.rings().orElseThrow().rings().get(0).counters().lost());
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Collects what it is given; requests nothing until told. */
    private static final class Collector extends BaseSubscriber<Object> {
        final List<PerfEvent> events = new CopyOnWriteArrayList<>();
        final CountDownLatch done = new CountDownLatch(1);

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
        }

        @Override
        protected void hookOnNext(Object value) {
            events.add(value instanceof PerfEvent e ? e : new PerfEvent.Sample(RingBuf.NO_CPU, new byte[0]));
        }

        @Override
        protected void hookFinally(reactor.core.publisher.SignalType type) {
            done.countDown();
        }
    }

    private static final class Count implements RecordHandler {
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
}
