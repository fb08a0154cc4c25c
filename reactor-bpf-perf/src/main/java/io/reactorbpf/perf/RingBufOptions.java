package io.reactorbpf.perf;

import java.time.Duration;
import java.util.Objects;

/**
 * How a ring buffer stream waits and who hears about its ring. Immutable; thread-safe.
 *
 * <p>The kernel wakes a ring buffer's reader when a producer commits a record while the reader has caught up
 * (unless the program passes {@code BPF_RB_NO_WAKEUP}), so the default, a latency bound of zero, waits for those
 * wakeups alone: no timed peek, no wakeup while idle. A program that suppresses wakeups needs a latency bound:
 * the poller then looks at the ring at least that often.
 *
 * @param latencyBound how often the ring is looked at whatever the wakeups; {@link Duration#ZERO}: wakeups only
 * @param listener     hears when the ring is mapped and released (meters bind there)
 * @since 0.1
 */
public record RingBufOptions(Duration latencyBound, PerfBufferListener listener) {

    private static final RingBufOptions DEFAULTS = new RingBufOptions(Duration.ZERO, PerfBufferListener.NONE);

    /**
     * Checks the options.
     *
     * @param latencyBound how often the ring is looked at whatever the wakeups, not negative
     * @param listener hears when the ring is mapped and released, {@link PerfBufferListener#NONE} for nobody
     * @throws IllegalArgumentException when {@code latencyBound} is negative
     */
    public RingBufOptions {
        Objects.requireNonNull(latencyBound, "latencyBound");
        Objects.requireNonNull(listener, "listener");
        if (latencyBound.isNegative()) {
            throw new IllegalArgumentException("latency bound must not be negative, got " + latencyBound);
        }
    }

    /**
     * Wakeups only, no listener.
     *
     * @return the shared default options
     */
    public static RingBufOptions defaults() {
        return DEFAULTS;
    }

    /**
     * These options with {@code bound} as the latency bound.
     *
     * @param bound how often the ring is looked at, rounded up to whole milliseconds; zero for wakeups only
     * @return the changed options
     * @throws IllegalArgumentException when {@code bound} is negative
     */
    public RingBufOptions withLatencyBound(Duration bound) {
        return new RingBufOptions(bound, listener);
    }

    /**
     * These options with {@code listener}.
     *
     * @param listener hears when the ring is mapped and released, on the ring's owning thread
     * @return the changed options
     */
    public RingBufOptions withListener(PerfBufferListener listener) {
        return new RingBufOptions(latencyBound, listener);
    }

    /** The timed peek interval in whole milliseconds, rounded up; -1 for none. */
    int peekMillis() {
        return PerfBufferOptions.peekMillis(latencyBound);
    }
}
