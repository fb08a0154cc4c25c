package io.reactorbpf.examples.serve;

import io.reactorbpf.examples.exec.ExecSignal;
import io.reactorbpf.examples.exec.Lost;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * One client's view of a shared stream: it takes everything the source offers (so the source never waits for
 * this client), holds at most {@code capacity} signals for the client plus {@link #PREFETCH} taken for encoding,
 * and when the client's demand falls behind drops the oldest held signals, counting them (a dropped
 * {@link Lost} counts as its own count). The dropped count reaches the client in-stream as
 * {@code Lost(CLIENT, n)} just before the next signal it receives; totals are exact. Signals are delivered on
 * the source's thread or the client's requesting thread.
 */
final class ClientBuffer {

    /** Signals taken from the buffer ahead of the client's demand. */
    static final int PREFETCH = 32;

    private ClientBuffer() {
    }

    /** {@code source} bounded for one client; {@code onDrop} hears each count dropped, e.g. for a meter. */
    static Flux<ExecSignal> bounded(Flux<ExecSignal> source, int capacity, LongConsumer onDrop) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a client buffer must hold at least 1 signal, got " + capacity);
        }
        return Flux.defer(() -> {
            AtomicLong overflow = new AtomicLong();
            return source
                    .onBackpressureBuffer(capacity, signal -> {
                        long n = signal instanceof Lost l ? l.count() : 1;
                        overflow.addAndGet(n);
                        onDrop.accept(n);
                    }, BufferOverflowStrategy.DROP_OLDEST)
                    .concatMapIterable(signal -> {
                        long n = overflow.getAndSet(0);
                        return n == 0 ? List.of(signal) : List.of(new Lost(Lost.CLIENT, n), signal);
                    }, PREFETCH);
        });
    }
}
