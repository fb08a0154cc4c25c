package io.reactorbpf.core.testing;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Load for a {@link GetpgidSampler}: a thread that calls getpgid() in batches of ten until closed, so the
 * program writes samples all the time a test runs. {@link #close()} stops the thread and waits for it.
 */
public final class GetpgidLoad implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private GetpgidLoad(String name) {
        thread = new Thread(() -> {
            while (running.get()) {
                GetpgidSampler.trigger(10);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts the load on a thread named {@code name}. */
    public static GetpgidLoad start(String name) {
        return new GetpgidLoad(name);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
