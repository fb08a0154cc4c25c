package io.reactorbpf.examples.cli;

import io.reactorbpf.perf.PerfStream;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs one stream of a command until it should stop, then ends it cleanly: {@link PerfStream#complete()}
 * hands out what the rings still hold and releases them before completing, so a command that returns from
 * {@link #run} has every ring unmapped (map snapshots end with a last read the same way). Falls back to
 * cancelling when the stream does not end within 2 s.
 */
public final class PerfSession {

    private static final long END_SECONDS = 2;

    private PerfSession() {
    }

    /**
     * Subscribes to {@code stream} (made from {@code source}, whose handle completes it) with unbounded demand, calls {@code onNext} on
     * the poller thread for each element, and returns once {@code stop} fires (its duration included) and the
     * stream has ended. Throws the stream's error, if it failed, once the stream is released.
     */
    public static <T> void run(PerfStream<?> source, Flux<T> stream, Consumer<? super T> onNext, StopSignal stop)
            throws InterruptedException {
        run(source::complete, stream, onNext, stop);
    }

    /**
     * As {@link #run(PerfStream, Flux, Consumer, StopSignal)}, for a stream that {@code complete} ends cleanly
     * (map snapshots, whose complete() reads each map a last time).
     */
    public static <T> void run(Runnable complete, Flux<T> stream, Consumer<? super T> onNext, StopSignal stop)
            throws InterruptedException {
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Disposable subscription = stream
                .doFinally(signal -> ended.countDown())
                .subscribe(onNext, e -> {
                    failure.set(e);
                    stop.stop();
                }, stop::stop);
        try {
            stop.await();
            complete.run();
            // a stream that has not ended by then is cancelled below
            ended.await(END_SECONDS, TimeUnit.SECONDS);
        } finally {
            subscription.dispose();
        }
        Throwable error = failure.get();
        if (error instanceof RuntimeException r) {
            throw r;
        }
        if (error != null) {
            throw new IllegalStateException(error.getMessage(), error);
        }
    }
}
