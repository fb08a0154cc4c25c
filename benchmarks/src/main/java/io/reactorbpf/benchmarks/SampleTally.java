package io.reactorbpf.benchmarks;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Counts what a consumer receives and records each sample's delivery latency: now on CLOCK_MONOTONIC
 * ({@link System#nanoTime()} on Linux) minus the sample's {@code ktime_ns}, which bpf_ktime_get_ns() took on
 * the same clock. Written by the poller thread only (release stores, plain moves on x86); the run's thread
 * reads the counts with acquire loads, and the histogram after the poller has stopped recording.
 */
final class SampleTally {

    /** Offset of {@code ktime_ns} in a sample: after {@code u64 seq}. */
    private static final int KTIME_OFFSET = 8;

    private static final VarHandle DELIVERED;
    private static final VarHandle LOST;
    private static final VarHandle ARRAY_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            DELIVERED = lookup.findVarHandle(SampleTally.class, "delivered", long.class);
            LOST = lookup.findVarHandle(SampleTally.class, "lost", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LatencyHistogram latency = new LatencyHistogram();
    private long delivered;
    private long lost;

    /** A sample read in place from ring memory. */
    void sample(ByteBuffer data, int offset) {
        latency.record(System.nanoTime() - data.getLong(offset + KTIME_OFFSET));
        DELIVERED.setRelease(this, delivered + 1);
    }

    /** A sample copied into an array. */
    void sample(byte[] data) {
        latency.record(System.nanoTime() - (long) ARRAY_LONGS.get(data, KTIME_OFFSET));
        DELIVERED.setRelease(this, delivered + 1);
    }

    void lost(long count) {
        LOST.setRelease(this, lost + count);
    }

    long delivered() {
        return (long) DELIVERED.getAcquire(this);
    }

    long lost() {
        return (long) LOST.getAcquire(this);
    }

    LatencyHistogram latency() {
        return latency;
    }
}
