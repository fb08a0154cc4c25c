package io.reactorbpf.spring.boot;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

import java.util.List;

/**
 * Starts every {@link BpfEventStream} when the application context starts, and completes them when it stops,
 * before the web server stops. A response that streams events never ends by itself, so a web server that stops
 * first waits for it: a graceful shutdown for its whole timeout ({@code spring.lifecycle.timeout-per-shutdown-phase},
 * 30 s by default), an immediate one for its connections to be torn down. This lifecycle has the latest phase,
 * {@link SmartLifecycle#DEFAULT_PHASE}, which Spring stops first: Spring Boot's graceful shutdown of the web server
 * runs at {@code DEFAULT_PHASE - 1024} and its stop at {@code DEFAULT_PHASE - 2048}. So the streams complete, hand out
 * what the rings hold, every subscriber's response completes, and the server then stops with no response open; the
 * objects close after every lifecycle stopped, when the context destroys its beans.
 *
 * <p>Threading: Spring calls it on the thread that refreshes or closes the context. A stop waits at most
 * {@link BpfEventStream#COMPLETE_TIMEOUT} for all streams together, then cancels those still running.
 */
final class BpfStreamLifecycle implements SmartLifecycle {

    private final ObjectProvider<BpfEventStream> streams;
    private volatile boolean running;

    BpfStreamLifecycle(ObjectProvider<BpfEventStream> streams) {
        this.streams = streams;
    }

    /** Starts every stream's upstream; one whose rings cannot open fails the start naming its property. */
    @Override
    public void start() {
        streams.orderedStream().forEach(BpfEventStream::start);
        running = true;
    }

    /** Completes every stream, then waits for them together. */
    @Override
    public void stop() {
        running = false;
        List<BpfEventStream> all = streams.orderedStream().toList();
        all.forEach(BpfEventStream::complete);
        long deadline = System.nanoTime() + BpfEventStream.COMPLETE_TIMEOUT.toNanos();
        all.forEach(s -> s.awaitEnd(deadline));
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return DEFAULT_PHASE;
    }
}
