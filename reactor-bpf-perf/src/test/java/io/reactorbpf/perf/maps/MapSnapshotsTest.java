package io.reactorbpf.perf.maps;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The snapshot stream's timing and demand on virtual time, over a source that counts its reads: a tick without
 * demand reads nothing, complete() reads once more, errors and cancels stop the reads.
 */
class MapSnapshotsTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    private final AtomicInteger reads = new AtomicInteger();
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    /** Each read returns one entry whose key is the read's number. */
    private MapSnapshots snapshots() {
        return new MapSnapshots("counts", MapSnapshotOptions.builder().interval(SECOND).scheduler(time).build(),
                MapLayout.untyped(4, 8), () -> () -> {
                    int n = reads.incrementAndGet();
                    return List.of(new MapSnapshot.Entry(new byte[] {(byte) n, 0, 0, 0}, List.of(new byte[8])));
                });
    }

    @Test
    void aSnapshotComesEachIntervalWhileThereIsDemand() {
        StepVerifier.withVirtualTime(this::snapshots, () -> time, 2)
                .expectSubscription()
                .expectNoEvent(SECOND.minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(s -> {
                    assertEquals(0, s.sequence());
                    assertEquals(1, s.entries().get(0).key()[0]);
                    assertEquals(SECOND.toMillis(), s.time().toEpochMilli());
                })
                .thenAwait(SECOND)
                .assertNext(s -> assertEquals(1, s.sequence()))
                .thenCancel()
                .verify();
        assertEquals(2, reads.get());
    }

    @Test
    void aTickWithoutDemandReadsNothingAndTheNextSnapshotCountsIt() {
        StepVerifier.withVirtualTime(this::snapshots, () -> time, 0)
                .expectSubscription()
                .thenAwait(SECOND.multipliedBy(3))
                .then(() -> assertEquals(0, reads.get(), "no demand, no reads"))
                .thenRequest(1)
                .expectNoEvent(SECOND.minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(s -> {
                    assertEquals(3, s.skipped());
                    assertEquals(0, s.sequence());
                })
                .thenCancel()
                .verify();
        assertEquals(1, reads.get());
    }

    @Test
    void completeReadsOnceMoreAtOnceEmitsItAndCompletes() {
        MapSnapshots[] stream = new MapSnapshots[1];
        StepVerifier.withVirtualTime(() -> stream[0] = snapshots(), () -> time, Long.MAX_VALUE)
                .expectSubscription()
                .thenAwait(SECOND)
                .expectNextCount(1)
                .thenAwait(Duration.ofMillis(300))
                .then(() -> stream[0].complete())
                .assertNext(s -> assertEquals(2, s.entries().get(0).key()[0]))
                .expectComplete()
                .verify();
        time.advanceTimeBy(SECOND.multipliedBy(5));
        assertEquals(2, reads.get(), "no read after the last");
    }

    @Test
    void theLastSnapshotWaitsForDemand() {
        MapSnapshots[] stream = new MapSnapshots[1];
        StepVerifier.withVirtualTime(() -> stream[0] = snapshots(), () -> time, 0)
                .expectSubscription()
                .then(() -> stream[0].complete())
                .then(() -> assertEquals(1, reads.get(), "read at once"))
                .expectNoEvent(SECOND.multipliedBy(3))
                .thenRequest(1)
                .assertNext(s -> assertEquals(0, s.sequence()))
                .expectComplete()
                .verify();
        assertEquals(1, reads.get());
    }

    @Test
    void aSubscriptionAfterCompleteGetsOneSnapshotAndCompletes() {
        MapSnapshots stream = snapshots();
        stream.complete();
        StepVerifier.withVirtualTime(() -> stream, () -> time, 1)
                .expectNextCount(1)
                .expectComplete()
                .verify();
    }

    @Test
    void aFailedReadEndsTheStreamWithItsErrorAndReadsNoMore() {
        IllegalStateException boom = new IllegalStateException("EBADF");
        StepVerifier.withVirtualTime(() -> new MapSnapshots("counts", MapSnapshotOptions.builder().interval(SECOND)
                        .scheduler(time).build(), MapLayout.untyped(4, 8), () -> () -> {
                            reads.incrementAndGet();
                            throw boom;
                        }), () -> time, 5)
                .expectSubscription()
                .thenAwait(SECOND)
                .expectErrorMatches(e -> e == boom)
                .verify();
        time.advanceTimeBy(SECOND.multipliedBy(3));
        assertEquals(1, reads.get());
    }

    @Test
    void cancelStopsTheReads() {
        StepVerifier.withVirtualTime(this::snapshots, () -> time, Long.MAX_VALUE)
                .thenAwait(SECOND)
                .expectNextCount(1)
                .thenCancel()
                .verify();
        time.advanceTimeBy(SECOND.multipliedBy(3));
        assertEquals(1, reads.get());
    }

    @Test
    void aNonPositiveRequestIsAnError() {
        AtomicReference<Throwable> error = new AtomicReference<>();
        snapshots().subscribe(new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                subscription.request(0);
            }

            @Override
            protected void hookOnError(Throwable e) {
                error.set(e);
            }
        });
        time.advanceTime();
        assertTrue(error.get() instanceof IllegalArgumentException, String.valueOf(error.get()));
        time.advanceTimeBy(SECOND.multipliedBy(2));
        assertEquals(0, reads.get());
    }

    @Test
    void eachSubscriptionHasItsOwnTicksAndSequence() {
        MapSnapshots stream = snapshots();
        StepVerifier.withVirtualTime(() -> stream.take(1).concatWith(stream.take(1)), () -> time, 2)
                .thenAwait(SECOND)
                .assertNext(s -> assertEquals(0, s.sequence()))
                .thenAwait(SECOND)
                .assertNext(s -> assertEquals(0, s.sequence()))
                .expectComplete()
                .verify();
    }

    @Test
    void anIntervalBelowOneMillisecondIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> MapSnapshotOptions.builder().interval(Duration.ofNanos(999_999)).build());
    }
}
