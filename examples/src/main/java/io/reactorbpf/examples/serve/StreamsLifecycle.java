package io.reactorbpf.examples.serve;

import org.springframework.context.SmartLifecycle;

/**
 * Completes the exec stream when the application context closes, before the web server stops. An HTTP response
 * that streams events never ends by itself, so a web server that stops first waits for it: a graceful shutdown
 * for its whole timeout, an immediate one for its connections to be torn down. This bean runs in the latest
 * phase, {@link SmartLifecycle#DEFAULT_PHASE}, which Spring stops first (the web server's graceful shutdown runs
 * at {@code DEFAULT_PHASE - 1024}, its stop at {@code DEFAULT_PHASE - 2048}): the upstream completes, hands out
 * what the rings hold, every client's response completes, and the server then stops with no response open.
 *
 * <p>An application of your own that serves perf streams needs the same bean: a {@code SmartLifecycle} at a
 * phase above the web server's whose {@code stop()} calls {@code PerfStream.complete()} (or completes whatever
 * the responses read from). Threading: Spring calls it on the thread that closes the context.
 */
final class StreamsLifecycle implements SmartLifecycle {

    private final ExecBroadcast broadcast;
    private volatile boolean running;

    StreamsLifecycle(ExecBroadcast broadcast) {
        this.broadcast = broadcast;
    }

    @Override
    public void start() {
        running = true;
    }

    /** Completes the upstream and every client's stream; returns once they ended (at most half a second). */
    @Override
    public void stop() {
        running = false;
        broadcast.complete();
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
