package io.reactorbpf.benchmarks;

/**
 * Delivery latencies in log-linear buckets: exact below 64 ns, then 32 buckets per power of two (within
 * 3.2%). The buckets are those of {@code src/main/c/latency.h}, so both consumers report comparable
 * quantiles. Recording allocates nothing. Not thread-safe: one thread records, and reads happen after it
 * has handed the histogram over.
 */
final class LatencyHistogram {

    private static final int BUCKETS = 64 + 58 * 32;

    private final long[] counts = new long[BUCKETS];
    private long total;

    void record(long nanos) {
        counts[bucket(nanos)]++;
        total++;
    }

    long total() {
        return total;
    }

    /** The upper bound of the bucket holding quantile {@code q}, so a quantile is never understated; -1 if empty. */
    long quantile(double q) {
        if (total == 0) {
            return -1;
        }
        long rank = Math.min((long) (q * total), total - 1);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen > rank) {
                return upper(i);
            }
        }
        return -1;
    }

    static int bucket(long nanos) {
        if (nanos < 64) {
            return nanos < 0 ? 0 : (int) nanos;
        }
        int exp = 63 - Long.numberOfLeadingZeros(nanos);
        return 64 + (exp - 6) * 32 + (int) ((nanos >>> (exp - 5)) & 31);
    }

    static long upper(int bucket) {
        if (bucket < 64) {
            return bucket;
        }
        int exp = (bucket - 64) / 32 + 6;
        int sub = (bucket - 64) % 32;
        return ((33L + sub) << (exp - 5)) - 1;
    }
}
