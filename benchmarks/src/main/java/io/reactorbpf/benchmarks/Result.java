package io.reactorbpf.benchmarks;

/**
 * What one consumer measured over one scenario. {@code seconds} is how long the load ran; {@code cpuNanos} is
 * the consumer thread's CPU time from the start of the load to the end of the drain; {@code allocatedBytes}
 * is what that thread allocated on the heap, -1 where there is no heap (the C consumer).
 */
record Result(String consumer, long produced, long delivered, long lost, double seconds, long cpuNanos,
              long p50Nanos, long p99Nanos, long allocatedBytes) {

    double deliveredPerSecond() {
        return delivered / seconds;
    }

    double cpuNanosPerEvent() {
        return delivered == 0 ? Double.NaN : (double) cpuNanos / delivered;
    }

    double bytesPerEvent() {
        return allocatedBytes < 0 || delivered == 0 ? Double.NaN : (double) allocatedBytes / delivered;
    }

    /** Samples neither delivered nor reported lost: nonzero means a count is wrong somewhere. */
    long unaccounted() {
        return produced - delivered - lost;
    }
}
