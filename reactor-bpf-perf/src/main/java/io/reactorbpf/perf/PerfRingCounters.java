package io.reactorbpf.perf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Running totals of what one {@link PerfRing} handed out: samples, lost records and the samples those lost
 * records report dropped, other records, and samples no reader took.
 *
 * <p>Threading: only the ring's draining thread adds, once per drain pass; any thread may read. Reads are
 * opaque: each value is untorn and eventually current, but two reads are not a consistent snapshot.
 *
 * @since 0.1
 */
public final class PerfRingCounters {

    private static final VarHandle SAMPLES;
    private static final VarHandle LOST_RECORDS;
    private static final VarHandle LOST;
    private static final VarHandle OTHER_RECORDS;
    private static final VarHandle BACKLOG;
    private static final VarHandle DISCARDED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SAMPLES = lookup.findVarHandle(PerfRingCounters.class, "samples", long.class);
            LOST_RECORDS = lookup.findVarHandle(PerfRingCounters.class, "lostRecords", long.class);
            LOST = lookup.findVarHandle(PerfRingCounters.class, "lost", long.class);
            OTHER_RECORDS = lookup.findVarHandle(PerfRingCounters.class, "otherRecords", long.class);
            BACKLOG = lookup.findVarHandle(PerfRingCounters.class, "backlog", long.class);
            DISCARDED = lookup.findVarHandle(PerfRingCounters.class, "discarded", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long samples;
    private long lostRecords;
    private long lost;
    private long otherRecords;
    private long backlog;
    private long discarded;

    PerfRingCounters() {
    }

    /**
     * {@link PerfRecordType#SAMPLE} records handed out.
     *
     * @return the count so far
     */
    public long samples() {
        return (long) SAMPLES.getOpaque(this);
    }

    /**
     * {@link PerfRecordType#LOST} records handed out.
     *
     * @return the count so far
     */
    public long lostRecords() {
        return (long) LOST_RECORDS.getOpaque(this);
    }

    /**
     * The sum of the {@code lost} fields of the lost records handed out: samples the kernel dropped.
     *
     * @return the samples dropped so far, as the kernel reported them
     */
    public long lost() {
        return (long) LOST.getOpaque(this);
    }

    /**
     * Records of any other type handed out.
     *
     * @return the count so far
     */
    public long otherRecords() {
        return (long) OTHER_RECORDS.getOpaque(this);
    }

    /**
     * Bytes of records waiting in the ring when the last drain pass began: how full the ring was then.
     *
     * @return the backlog in bytes, 0 before the first pass
     */
    public long backlog() {
        return (long) BACKLOG.getOpaque(this);
    }

    /**
     * Samples that reached the ring but no reader: left in it when its reader stopped (cancel, close) or when
     * its CPU went offline while the reader had no demand. Together with {@link #samples()} and {@link #lost()}
     * this accounts for every sample the program wrote while the ring's map slot pointed at it.
     *
     * @return the count so far
     */
    public long discarded() {
        return (long) DISCARDED.getOpaque(this);
    }

    /** Adds samples a stopping reader left in the ring. */
    void discard(long samples) {
        DISCARDED.setOpaque(this, discarded + samples);
    }

    /** Records the ring's fill at the start of a pass. */
    void backlog(long bytes) {
        BACKLOG.setOpaque(this, bytes);
    }

    /** Adds one pass's totals; only the draining thread writes, so a plain read of the old value is current. */
    void add(long passSamples, long passLostRecords, long passLost, long passOtherRecords) {
        // opaque stores: untorn for readers on other threads, and cheaper than volatile because nothing else is ordered by them
        SAMPLES.setOpaque(this, samples + passSamples);
        LOST_RECORDS.setOpaque(this, lostRecords + passLostRecords);
        LOST.setOpaque(this, lost + passLost);
        OTHER_RECORDS.setOpaque(this, otherRecords + passOtherRecords);
    }

    @Override
    public String toString() {
        return "PerfRingCounters[samples=" + samples() + ", lostRecords=" + lostRecords() + ", lost=" + lost()
                + ", otherRecords=" + otherRecords() + ", backlog=" + backlog() + ", discarded=" + discarded() + "]";
    }
}
