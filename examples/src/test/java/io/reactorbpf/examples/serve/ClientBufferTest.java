package io.reactorbpf.examples.serve;

import io.reactorbpf.examples.exec.ExecEvent;
import io.reactorbpf.examples.exec.ExecSignal;
import io.reactorbpf.examples.exec.Lost;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client's bounded view of the shared stream, with the client's demand controlled by StepVerifier. */
class ClientBufferTest {

    private static ExecSignal exec(int pid) {
        return new ExecEvent(0, pid, 1, 0, "sh", List.of("/bin/sh"));
    }

    @Test
    void aClientWithDemandGetsEverySignalInOrderAndNothingIsLost() {
        Sinks.Many<ExecSignal> shared = Sinks.many().multicast().directBestEffort();
        AtomicLong dropped = new AtomicLong();
        StepVerifier.create(ClientBuffer.bounded(shared.asFlux(), 4, dropped::addAndGet))
                .then(() -> {
                    for (int i = 0; i < 100; i++) {
                        shared.tryEmitNext(exec(i));
                    }
                    shared.tryEmitComplete();
                })
                .expectNextSequence(java.util.stream.IntStream.range(0, 100).mapToObj(ClientBufferTest::exec).toList())
                .verifyComplete();
        assertEquals(0, dropped.get());
    }

    @Test
    void aClientWithoutDemandHoldsABoundedNumberAndLearnsHowManyItLost() {
        Sinks.Many<ExecSignal> shared = Sinks.many().multicast().directBestEffort();
        AtomicLong dropped = new AtomicLong();
        List<ExecSignal> received = new ArrayList<>();
        int capacity = 8;
        int offered = 10_000;
        StepVerifier.create(ClientBuffer.bounded(shared.asFlux(), capacity, dropped::addAndGet), 0)
                .then(() -> {
                    for (int i = 0; i < offered; i++) {
                        // the shared stream never waits for this client: every emission is accepted
                        assertEquals(Sinks.EmitResult.OK, shared.tryEmitNext(exec(i)));
                    }
                    shared.tryEmitComplete();
                })
                .thenRequest(Long.MAX_VALUE)
                .recordWith(() -> received)
                .thenConsumeWhile(s -> true)
                .verifyComplete();

        List<ExecSignal> events = received.stream().filter(s -> s instanceof ExecEvent).toList();
        long lost = received.stream().filter(s -> s instanceof Lost).mapToLong(s -> ((Lost) s).count()).sum();
        assertTrue(events.size() <= capacity + ClientBuffer.PREFETCH, events.size() + " held");
        assertEquals(offered, events.size() + lost, "every signal is delivered or counted");
        assertEquals(lost, dropped.get());
        assertTrue(received.stream().filter(s -> s instanceof Lost).allMatch(s -> ((Lost) s).inClient()));
        assertEquals(offered - 1, ((ExecEvent) events.get(events.size() - 1)).pid(), "the newest is kept");
    }

    @Test
    void aDroppedRingLossCountsItsWholeCount() {
        Sinks.Many<ExecSignal> shared = Sinks.many().multicast().directBestEffort();
        AtomicLong dropped = new AtomicLong();
        StepVerifier.create(ClientBuffer.bounded(shared.asFlux(), 1, dropped::addAndGet), 0)
                .then(() -> {
                    for (int i = 0; i < ClientBuffer.PREFETCH + 1; i++) {
                        shared.tryEmitNext(exec(i));
                    }
                    shared.tryEmitNext(new Lost(3, 50));
                    shared.tryEmitNext(exec(-1));
                    shared.tryEmitComplete();
                })
                .thenRequest(Long.MAX_VALUE)
                .thenConsumeWhile(s -> true)
                .verifyComplete();
        assertEquals(1 + 50, dropped.get());
    }

    @Test
    void aBufferBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> ClientBuffer.bounded(Sinks.many().multicast().<ExecSignal>directBestEffort().asFlux(), 0, n -> { }));
    }
}
