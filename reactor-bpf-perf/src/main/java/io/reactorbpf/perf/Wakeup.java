package io.reactorbpf.perf;

/**
 * When the kernel wakes the reader of a perf ring: after a number of samples ({@code wakeup_events}) or once a
 * number of bytes wait in the ring ({@code wakeup_watermark}). A wakeup costs the reader a return from
 * {@code epoll_wait} (microseconds); reading what is already there costs a memory load, so batched wakeups
 * give throughput and one wakeup per sample gives the lowest latency.
 */
public sealed interface Wakeup permits Wakeup.Events, Wakeup.Watermark, Wakeup.QuarterRing {

    /** One wakeup per sample: libbpf's perf_buffer default. */
    static Wakeup everySample() {
        return new Events(1);
    }

    /** One wakeup per {@code samples} samples. */
    static Wakeup events(int samples) {
        return new Events(samples);
    }

    /** A wakeup once {@code bytes} of records wait in a ring. */
    static Wakeup watermark(int bytes) {
        return new Watermark(bytes);
    }

    /** A wakeup once a quarter of a ring is full, whatever its size: the default. */
    static Wakeup quarterRing() {
        return new QuarterRing();
    }

    /** Wake the reader every {@code samples} samples ({@code wakeup_events}). */
    record Events(int samples) implements Wakeup {
        public Events {
            if (samples <= 0) {
                throw new IllegalArgumentException("wakeup events must be positive, got " + samples);
            }
        }
    }

    /** Wake the reader once {@code bytes} bytes of records wait in a ring ({@code wakeup_watermark}). */
    record Watermark(int bytes) implements Wakeup {
        public Watermark {
            if (bytes <= 0) {
                throw new IllegalArgumentException("wakeup watermark must be positive, got " + bytes);
            }
        }
    }

    /** Wake the reader once a quarter of a ring's data area is full. */
    record QuarterRing() implements Wakeup {
    }
}
