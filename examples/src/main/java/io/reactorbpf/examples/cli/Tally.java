package io.reactorbpf.examples.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Counts what a command delivered and what was lost since it started, and prints the closing summary line
 * {@code delivered=N lost=M seconds=S rate=R/s}; {@code lost=uncounted} when the source cannot count its losses
 * (a BPF ring buffer whose program keeps no count). Thread-safe.
 */
public final class Tally {

    private final LongSupplier elapsedNanos;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private volatile boolean lossUncounted;

    /** A tally whose seconds are {@code elapsedNanos}: the command's time since its programs were attached. */
    public Tally(LongSupplier elapsedNanos) {
        this.elapsedNanos = elapsedNanos;
    }

    public void delivered() {
        delivered.incrementAndGet();
    }

    public void delivered(long count) {
        delivered.addAndGet(count);
    }

    public void lost(long count) {
        lost.addAndGet(count);
    }

    /** Says the source reports no losses although it may have some, so the summary does not claim none. */
    public void lossUncounted() {
        lossUncounted = true;
    }

    /** The summary line, with the seconds since the programs were attached and the delivery rate over them. */
    public String summary() {
        double seconds = elapsedNanos.getAsLong() / 1e9;
        long n = delivered.get();
        return String.format(Locale.ROOT, "delivered=%d lost=%s seconds=%.1f rate=%.1f/s", n,
                lossUncounted ? "uncounted" : Long.toString(lost.get()), seconds, seconds > 0 ? n / seconds : 0.0);
    }

    public void printSummary(PrintStream err) {
        err.println(summary());
    }
}
