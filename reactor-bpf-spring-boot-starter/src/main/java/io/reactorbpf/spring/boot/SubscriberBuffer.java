package io.reactorbpf.spring.boot;

import io.reactorbpf.perf.PerfEvent;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * One subscriber's view of a shared stream: it takes everything the source offers (so the source never waits for
 * this subscriber), holds at most {@code capacity} events for it plus {@link #PREFETCH} taken ahead of its demand,
 * and when its demand falls behind drops the oldest held events, counting them (a dropped {@link PerfEvent.Lost}
 * counts as its own count). The dropped count reaches the subscriber in-stream as
 * {@code Lost(BpfEventStream.SUBSCRIBER, n)} just before the next event it receives; totals are exact. Events are
 * delivered on the source's thread or the subscriber's requesting thread.
 */
final class SubscriberBuffer {

    /** Events taken from the buffer ahead of the subscriber's demand. */
    static final int PREFETCH = 32;

    private SubscriberBuffer() {
    }

    /** {@code source} bounded for one subscriber; {@code onDrop} hears each count dropped, e.g. for a meter. */
    static Flux<PerfEvent> bounded(Flux<PerfEvent> source, int capacity, LongConsumer onDrop) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a subscriber buffer must hold at least 1 event, got " + capacity);
        }
        return Flux.defer(() -> {
            AtomicLong overflow = new AtomicLong();
            return source
                    .onBackpressureBuffer(capacity, event -> {
                        long n = event instanceof PerfEvent.Lost l ? l.count() : 1;
                        overflow.addAndGet(n);
                        onDrop.accept(n);
                    }, BufferOverflowStrategy.DROP_OLDEST)
                    .concatMapIterable(event -> {
                        long n = overflow.getAndSet(0);
                        return n == 0 ? List.of(event)
                                : List.of(new PerfEvent.Lost(BpfEventStream.SUBSCRIBER, n), event);
                    }, PREFETCH);
        });
    }
}
