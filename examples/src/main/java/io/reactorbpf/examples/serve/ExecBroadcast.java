package io.reactorbpf.examples.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.reactorbpf.examples.exec.ExecSignal;
import io.reactorbpf.examples.exec.ExecSnoopProgram;
import io.reactorbpf.perf.PerfStream;
import io.reactorbpf.perf.micrometer.PerfBufferMeters;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One exec stream shared by every HTTP client. A map has one perf buffer at a time, so a single upstream reads
 * the rings with unbounded demand on its poller thread and hands each signal to every client's own bounded
 * {@link ClientBuffer} of {@code clientBuffer} signals. A client that reads too slowly overflows only its own
 * buffer: the oldest signals are dropped and counted, and the client receives {@code Lost(CLIENT, n)} in-stream
 * before its next signal. So the rings never wait for a slow client, the other clients lose nothing because of
 * it, and memory is bounded by clients × buffer, whatever the exec rate. Ring losses (the poller itself fell
 * behind) reach every client as {@code Lost(cpu, n)}.
 *
 * <p>Meters: the perf buffer's {@link PerfBufferMeters} (delivered and lost samples, ring backlog),
 * {@code reactor.bpf.serve.client.dropped} (signals dropped for slow clients) and
 * {@code reactor.bpf.serve.clients} (connected clients). Owns the program; {@link #complete()} ends the upstream
 * and completes every client ({@link StreamsLifecycle} calls it before the web server stops), {@link #close()}
 * also detaches the program. Thread-safe.
 */
final class ExecBroadcast implements AutoCloseable {

    private final ExecSnoopProgram program;
    /** How long {@link #complete()} waits for the upstream to hand out what the rings hold and complete. */
    private static final long COMPLETE_MILLIS = 500;

    private final PerfStream<ExecSignal> signals;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Sinks.Many<ExecSignal> sink = Sinks.many().multicast().directBestEffort();
    private final Disposable upstream;
    private final int clientBuffer;
    private final Counter dropped;
    private final AtomicInteger clients = new AtomicInteger();

    ExecBroadcast(ExecSnoopProgram program, MeterRegistry registry, int clientBuffer) {
        this.program = program;
        this.clientBuffer = clientBuffer;
        this.dropped = Counter.builder("reactor.bpf.serve.client.dropped")
                .description("Exec signals dropped from slow clients' buffers").register(registry);
        registry.gauge("reactor.bpf.serve.clients", clients);
        this.signals = program.signals(PerfBufferMeters.of(registry));
        // only the poller thread emits, so emissions never race; a signal with no client is simply not sent
        this.upstream = signals.doFinally(s -> ended.countDown())
                .subscribe(sink::tryEmitNext, sink::tryEmitError, sink::tryEmitComplete);
    }

    /**
     * A new client's stream: every signal from now on, with this client's overflow reported as
     * {@code Lost(CLIENT, n)}. Demand comes from the client's connection; without it the client's buffer fills
     * and then drops its oldest signals.
     */
    Flux<ExecSignal> feed() {
        return ClientBuffer.bounded(sink.asFlux(), clientBuffer, dropped::increment)
                .doOnSubscribe(s -> clients.incrementAndGet())
                .doFinally(s -> clients.decrementAndGet());
    }

    /** Connected clients. */
    int clients() {
        return clients.get();
    }

    /**
     * Completes the upstream (what the rings hold goes out, then every client completes) and waits up to
     * {@value #COMPLETE_MILLIS} ms for it to end; cancels it if it has not ended by then. Later calls return at once.
     */
    void complete() {
        try {
            if (signals.complete() && !ended.await(COMPLETE_MILLIS, TimeUnit.MILLISECONDS)) {
                upstream.dispose();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            upstream.dispose();
        }
    }

    /** Completes the upstream as {@link #complete()} does, then detaches the program. */
    @Override
    public void close() {
        try {
            complete();
        } finally {
            program.close();
        }
    }
}
