package io.reactorbpf.perf;

/**
 * When the kernel wakes the reader of a perf ring: after a number of samples ({@code wakeup_events}) or once a
 * number of bytes wait in the ring ({@code wakeup_watermark}). A wakeup costs the reader a return from
 * {@code epoll_wait} (microseconds); reading what is already there costs a memory load, so batched wakeups
 * give throughput and one wakeup per sample gives the lowest latency.
 *
 * @since 0.1
 */
public sealed interface Wakeup permits Wakeup.Events, Wakeup.Watermark, Wakeup.QuarterRing, Wakeup.Adaptive {

    /**
     * One wakeup per sample: libbpf's perf_buffer default.
     *
     * @return {@code wakeup_events = 1}
     */
    static Wakeup everySample() {
        return new Events(1);
    }

    /**
     * One wakeup per {@code samples} samples. A sample below the count waits for more, or for the latency bound.
     *
     * @param samples samples per wakeup, positive
     * @return {@code wakeup_events = samples}
     * @throws IllegalArgumentException when {@code samples} is not positive
     */
    static Wakeup events(int samples) {
        return new Events(samples);
    }

    /**
     * A wakeup once {@code bytes} of records wait in a ring.
     *
     * @param bytes record bytes per wakeup, positive and at most the ring's size
     * @return {@code wakeup_watermark = bytes}
     * @throws IllegalArgumentException when {@code bytes} is not positive
     */
    static Wakeup watermark(int bytes) {
        return new Watermark(bytes);
    }

    /**
     * A wakeup once a quarter of a ring is full, whatever its size: the default where adaptive wakeups do not
     * apply.
     *
     * @return the quarter-ring watermark
     */
    static Wakeup quarterRing() {
        return new QuarterRing();
    }

    /**
     * One wakeup per sample while a CPU's rate is low, a quarter-ring watermark while it is high: see
     * {@link Adaptive}.
     *
     * @return adaptive wakeups, the default
     */
    static Wakeup adaptive() {
        return new Adaptive();
    }

    /**
     * Wake the reader every {@code samples} samples ({@code wakeup_events}).
     *
     * @param samples samples per wakeup
     * @since 0.1
     */
    record Events(int samples) implements Wakeup {
        /**
         * Checks the count.
         *
         * @param samples samples per wakeup, positive
         * @throws IllegalArgumentException when {@code samples} is not positive
         */
        public Events {
            if (samples <= 0) {
                throw new IllegalArgumentException("wakeup events must be positive, got " + samples);
            }
        }
    }

    /**
     * Wake the reader once {@code bytes} bytes of records wait in a ring ({@code wakeup_watermark}).
     *
     * @param bytes record bytes per wakeup
     * @since 0.1
     */
    record Watermark(int bytes) implements Wakeup {
        /**
         * Checks the size.
         *
         * @param bytes record bytes per wakeup, positive
         * @throws IllegalArgumentException when {@code bytes} is not positive
         */
        public Watermark {
            if (bytes <= 0) {
                throw new IllegalArgumentException("wakeup watermark must be positive, got " + bytes);
            }
        }
    }

    /**
     * Wake the reader once a quarter of a ring's data area is full.
     *
     * @since 0.1
     */
    record QuarterRing() implements Wakeup {
    }

    /**
     * Each CPU gets two perf events and rings: one that wakes the reader on every sample (at most
     * {@link PerfBufferOptions#SINGLE_WAKEUP_MAX_PAGES} pages, as it carries only slow rates) and one of the full size
     * that wakes it once a quarter of its ring is full. The CPU's map slot points at the first while the
     * reader sees fewer than {@link AdaptiveWakeup#BATCH_ABOVE} samples a second from that CPU, and at the second
     * above (one map update per switch; back below {@link AdaptiveWakeup#SINGLE_BELOW}); both rings are read, the
     * one left first. While every CPU wakes per sample the reader waits with no timeout: idle, it does not wake
     * at all, and a lone sample arrives at once. While a CPU is batched, and for one latency bound after it
     * switches back (a program that read the old slot may still write there), a periodic timer (a timerfd in the
     * reader's epoll set, every seven eighths of the latency bound) wakes the reader to peek at the rings, so a
     * record below the watermark waits no longer than the bound, waking included. The slot moves only to a ring
     * the reader has emptied, so each CPU's samples come in the order it wrote them, and away from a ring only
     * once the kernel owes it no LOST record (that record comes with the ring's next sample): after a ring
     * overflowed, its CPU stays on it, peeked at, until that sample comes. Costs the per-sample ring's memory on
     * top of the batched ring's.
     *
     * @since 0.1
     */
    record Adaptive() implements Wakeup {
    }
}
