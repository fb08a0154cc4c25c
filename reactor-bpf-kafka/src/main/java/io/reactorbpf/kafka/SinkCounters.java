package io.reactorbpf.kafka;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The running counts of a {@link KafkaSink} over all its shipments, for meters and health checks: the same counts
 * as {@link SinkTotals}, live, read with {@link #totals()}.
 *
 * <p>Threading: the stream's thread adds what it takes, the producer's I/O thread adds acknowledgements and
 * failures; any thread may read. Each count is exact and current; {@link #totals()} reads the settlements before
 * the records taken, so its {@code inFlight()} is never negative.
 *
 * @since 0.1
 */
public final class SinkCounters {

    private final SinkCounters parent;
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong lostRecords = new AtomicLong();
    private final AtomicLong lostRecordsAcknowledged = new AtomicLong();
    private final AtomicLong lostRecordsFailed = new AtomicLong();
    private final AtomicReference<Exception> lastFailure = new AtomicReference<>();

    /** {@code parent}, when not null, adds everything this adds: a shipment's counts go to its sink's too. */
    SinkCounters(SinkCounters parent) {
        this.parent = parent;
    }

    void sampleTaken() {
        samples.incrementAndGet();
        if (parent != null) {
            parent.sampleTaken();
        }
    }

    void lostTaken(long count) {
        lost.addAndGet(count);
        lostRecords.incrementAndGet();
        if (parent != null) {
            parent.lostTaken(count);
        }
    }

    /** One record settled: acknowledged when {@code failure} is null. */
    void settled(boolean sample, Exception failure) {
        if (failure == null) {
            (sample ? acknowledged : lostRecordsAcknowledged).incrementAndGet();
        } else {
            lastFailure.set(failure);
            (sample ? failed : lostRecordsFailed).incrementAndGet();
        }
        if (parent != null) {
            parent.settled(sample, failure);
        }
    }

    /**
     * Records sent and not yet settled.
     *
     * @return the count now
     */
    public long inFlight() {
        return totals().inFlight();
    }

    /**
     * The last send failure the producer reported, such as a {@code TimeoutException} when
     * {@code delivery.timeout.ms} passed with the broker away.
     *
     * @return the exception, or null when no send has failed
     */
    public Exception lastFailure() {
        return lastFailure.get();
    }

    /**
     * The counts now, settlements read before what was taken.
     *
     * @return a snapshot
     */
    public SinkTotals totals() {
        long ack = acknowledged.get();
        long fail = failed.get();
        long lostAck = lostRecordsAcknowledged.get();
        long lostFail = lostRecordsFailed.get();
        long lostNow = lost.get();
        long lostTaken = lostRecords.get();
        return new SinkTotals(samples.get(), ack, fail, lostNow, lostTaken, lostAck, lostFail);
    }

    @Override
    public String toString() {
        return "SinkCounters" + totals();
    }
}
