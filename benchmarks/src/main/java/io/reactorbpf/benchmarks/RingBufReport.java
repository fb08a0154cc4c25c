package io.reactorbpf.benchmarks;

import java.io.PrintStream;
import java.util.List;

/**
 * Prints a ring buffer load's results as a table, each of our rows followed by its ratios to libbpf's ring_buffer
 * row, and for every row whether it balances: produced == delivered + failed (the program's own counts) and, where
 * our loader counted, the reader's reported losses == failed.
 */
final class RingBufReport {

    private static final String ROW = "%-22s %10s %10s %9s %9s %10s %9s %9s %10s %8s  %s%n";

    private final PrintStream out;

    RingBufReport(PrintStream out) {
        this.out = out;
    }

    void table(RingBufLoad ring, List<RingBufResult> results) {
        out.printf("%n== %s (%.1f s) ==%n", ring.name(), ring.load().seconds());
        out.printf(ROW, "consumer", "events/s", "produced", "failed", "rep.lost", "cpu ns/ev", "p50 us", "p99 us",
                "heap B/ev", "prog ns", "produced = delivered + failed");
        RingBufResult base = results.stream().filter(r -> r.run().consumer().equals(LibbpfRingBufConsumer.LABEL))
                .findFirst().orElse(null);
        for (RingBufResult rb : results) {
            Result r = rb.run();
            out.printf(ROW, r.consumer(), Report.count(r.deliveredPerSecond()), Report.count(r.produced()),
                    Report.count(r.lost()), rb.reportedLost() < 0 ? "-" : Report.count(rb.reportedLost()),
                    Report.decimal(r.cpuNanosPerEvent()), Report.micros(r.p50Nanos()), Report.micros(r.p99Nanos()),
                    r.allocatedBytes() < 0 ? "-" : Report.decimal(r.bytesPerEvent()),
                    Report.decimal(rb.program().nanosPerRun()), balance(rb));
            if (base != null && rb != base) {
                Result b = base.run();
                out.printf(ROW, "  / libbpf", Report.ratio(r.deliveredPerSecond(), b.deliveredPerSecond()),
                        Report.ratio(r.produced(), b.produced()), Report.ratio(r.lost(), b.lost()), "-",
                        Report.ratio(r.cpuNanosPerEvent(), b.cpuNanosPerEvent()), Report.ratio(r.p50Nanos(), b.p50Nanos()),
                        Report.ratio(r.p99Nanos(), b.p99Nanos()), "-",
                        Report.ratio(rb.program().nanosPerRun(), base.program().nanosPerRun()), "");
            }
        }
    }

    /** The row's conservation check, with the exact counts either way. */
    static String balance(RingBufResult rb) {
        Result r = rb.run();
        String sums = r.produced() + " = " + r.delivered() + " + " + r.lost();
        if (r.unaccounted() != 0) {
            return "NO: " + r.produced() + " != " + r.delivered() + " + " + r.lost() + " (" + r.unaccounted()
                    + " unaccounted)";
        }
        if (!rb.lossReportAgrees()) {
            return "yes, " + sums + ", but the reader reported " + rb.reportedLost() + " lost";
        }
        return "yes, " + sums;
    }
}
