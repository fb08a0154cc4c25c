package io.reactorbpf.perf;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a stream ({@link PerfStream}, {@link RingBufStream}) knows of its subscription: the poller serving it now,
 * if any, the rings of the last one, and whether pause is wanted. The stream's control methods and its poller
 * meet here. Any thread.
 */
final class LiveSubscription {

    /** The subscription running now, or null. */
    private final AtomicReference<StreamPoller<?>> live = new AtomicReference<>();
    private volatile PerfRings lastRings;
    private volatile boolean pauseWanted;

    /** A poller took the map and is about to start. */
    void started(StreamPoller<?> poller) {
        live.set(poller);
        lastRings = poller.rings();
    }

    /** The poller's subscription ended and its rings were released. */
    void ended(StreamPoller<?> poller) {
        lastRings = poller.rings();
        live.compareAndSet(poller, null);
    }

    /** Posts {@code signal} to the live poller; false when none is live. */
    boolean signal(int signal) {
        StreamPoller<?> p = live.get();
        if (p == null) {
            return false;
        }
        p.signal(signal);
        return true;
    }

    boolean isLive() {
        return live.get() != null;
    }

    /** The rings of the live subscription, or of the last one; empty before the first. */
    Optional<PerfRings> rings() {
        StreamPoller<?> p = live.get();
        return Optional.ofNullable(p != null ? p.rings() : lastRings);
    }

    /** Whether the live poller's output is paused; without one, whether pause is wanted. */
    boolean isPaused() {
        StreamPoller<?> p = live.get();
        return p != null ? p.isPaused() : pauseWanted;
    }

    /** Whether the holder asked for output to be paused. */
    boolean pauseWanted() {
        return pauseWanted;
    }

    void pauseWanted(boolean wanted) {
        pauseWanted = wanted;
    }
}
