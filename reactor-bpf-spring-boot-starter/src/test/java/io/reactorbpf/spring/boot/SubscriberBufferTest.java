package io.reactorbpf.spring.boot;

import io.reactorbpf.perf.PerfEvent;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A subscriber's bounded view of the shared stream, with the subscriber's demand controlled by StepVerifier. */
class SubscriberBufferTest {

    /** Samples numbered 0 to n-1 in their bytes; each is its own instance, so identity tells them apart. */
    private static List<PerfEvent> samples(int n) {
        return IntStream.range(0, n).<PerfEvent>mapToObj(i -> new PerfEvent.Sample(0, new byte[] {(byte) i})).toList();
    }

    private static Sinks.Many<PerfEvent> shared() {
        return Sinks.many().multicast().directBestEffort();
    }

    @Test
    void aSubscriberWithDemandGetsEveryEventInOrderAndNothingIsDropped() {
        Sinks.Many<PerfEvent> shared = shared();
        AtomicLong dropped = new AtomicLong();
        List<PerfEvent> offered = samples(100);
        StepVerifier.create(SubscriberBuffer.bounded(shared.asFlux(), 4, dropped::addAndGet))
                .then(() -> {
                    offered.forEach(shared::tryEmitNext);
                    shared.tryEmitComplete();
                })
                .expectNextSequence(offered)
                .verifyComplete();
        assertEquals(0, dropped.get());
    }

    @Test
    void aSubscriberWithoutDemandHoldsABoundedNumberAndLearnsHowManyItLost() {
        Sinks.Many<PerfEvent> shared = shared();
        AtomicLong dropped = new AtomicLong();
        List<PerfEvent> received = new ArrayList<>();
        int capacity = 8;
        List<PerfEvent> offered = samples(10_000);
        StepVerifier.create(SubscriberBuffer.bounded(shared.asFlux(), capacity, dropped::addAndGet), 0)
                .then(() -> {
                    for (PerfEvent e : offered) {
                        // the shared stream never waits for this subscriber: every emission is accepted
                        assertEquals(Sinks.EmitResult.OK, shared.tryEmitNext(e));
                    }
                    shared.tryEmitComplete();
                })
                .thenRequest(Long.MAX_VALUE)
                .recordWith(() -> received)
                .thenConsumeWhile(e -> true)
                .verifyComplete();

        List<PerfEvent> samples = received.stream().filter(e -> e instanceof PerfEvent.Sample).toList();
        long lost = received.stream().filter(e -> e instanceof PerfEvent.Lost)
                .mapToLong(e -> ((PerfEvent.Lost) e).count()).sum();
        assertTrue(samples.size() <= capacity + SubscriberBuffer.PREFETCH, samples.size() + " held");
        assertEquals(offered.size(), samples.size() + lost, "every event is delivered or counted");
        assertEquals(lost, dropped.get());
        assertTrue(received.stream().filter(e -> e instanceof PerfEvent.Lost)
                .allMatch(e -> e.cpu() == BpfEventStream.SUBSCRIBER));
        assertSame(offered.get(offered.size() - 1), samples.get(samples.size() - 1), "the newest is kept");
    }

    @Test
    void aDroppedRingLossCountsItsWholeCount() {
        Sinks.Many<PerfEvent> shared = shared();
        AtomicLong dropped = new AtomicLong();
        StepVerifier.create(SubscriberBuffer.bounded(shared.asFlux(), 1, dropped::addAndGet), 0)
                .then(() -> {
                    samples(SubscriberBuffer.PREFETCH + 1).forEach(shared::tryEmitNext);
                    shared.tryEmitNext(new PerfEvent.Lost(3, 50));
                    shared.tryEmitNext(samples(1).get(0));
                    shared.tryEmitComplete();
                })
                .thenRequest(Long.MAX_VALUE)
                .thenConsumeWhile(e -> true)
                .verifyComplete();
        assertEquals(1 + 50, dropped.get());
    }

    @Test
    void aBufferBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SubscriberBuffer.bounded(shared().asFlux(), 0, n -> { }));
    }
}
