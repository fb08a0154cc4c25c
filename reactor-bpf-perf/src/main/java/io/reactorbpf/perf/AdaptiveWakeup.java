package io.reactorbpf.perf;

/**
 * The choice {@link Wakeup.Adaptive} makes for one CPU: single wakeups (one per sample) while the reader sees few
 * samples from it, batched wakeups while it sees many. A wakeup costs the reader microseconds of CPU, a timed peek
 * about one; so below {@link #SINGLE_BELOW} samples a second per-sample wakeups cost less than peeking each
 * millisecond, and above {@link #BATCH_ABOVE} batching wins by far. The gap between the two keeps a rate near a
 * threshold from switching back and forth. Owned by the reading thread.
 */
final class AdaptiveWakeup {

    /** Samples per second above which a CPU switches to batched wakeups. */
    static final int BATCH_ABOVE = 8_000;
    /** Samples per second below which a batched CPU switches back to single wakeups. */
    static final int SINGLE_BELOW = 2_000;
    /** How long the rate is measured over before a decision. */
    static final long WINDOW_NANOS = 20_000_000L;

    private boolean batched;
    private long windowStart;
    private long samples;
    /** While single again after batched: until when the batched ring may still get late samples. */
    private long settlingUntil;

    AdaptiveWakeup(long now) {
        this.windowStart = now;
    }

    /** Whether the CPU is batched now. */
    boolean batched() {
        return batched;
    }

    /** Whether the reader must still peek at this CPU's rings at {@code now}: batched, or single but still settling. */
    boolean needsPeeks(long now) {
        return batched || now - settlingUntil < 0;
    }

    /**
     * Counts {@code taken} samples read at {@code now}; returns true when the CPU switches (then {@link #batched()}
     * says to which side). {@code boundNanos} is the latency bound: how long the ring left behind is still peeked.
     * With {@code mayMove} false (the other ring still holds records) it counts but does not switch.
     */
    boolean observe(int taken, long now, long boundNanos, boolean mayMove) {
        samples += taken;
        long elapsed = now - windowStart;
        if (!mayMove) {
            return false;
        }
        if (!batched && samples * 1_000_000_000L >= (long) BATCH_ABOVE * Math.max(elapsed, WINDOW_NANOS)) {
            // enough samples to pass the rate even if the window ran to its end
            batched = true;
            restart(now);
            return true;
        }
        if (elapsed < WINDOW_NANOS) {
            return false;
        }
        boolean switchBack = batched && samples * 1_000_000_000L < (long) SINGLE_BELOW * elapsed;
        restart(now);
        if (switchBack) {
            batched = false;
            settlingUntil = now + Math.max(boundNanos, 1_000_000L);
            return true;
        }
        return false;
    }

    private void restart(long now) {
        windowStart = now;
        samples = 0;
    }
}
