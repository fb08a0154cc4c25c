package io.reactorbpf.benchmarks;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Prints a scenario's results as a table, each of our rows followed by its ratios to the libbpf row it is
 * compared with: the one with the same perf_event_attr where there is one, else libbpf's default.
 */
final class Report {

    private static final String ROW = "%-18s %10s %10s %9s %10s %9s %9s %10s%n";

    private final PrintStream out;

    Report(PrintStream out) {
        this.out = out;
    }

    void table(Scenario load, List<Result> results) {
        out.printf("%n== %s (%.1f s) ==%n", load.name(), load.seconds());
        out.printf(ROW, "consumer", "events/s", "produced", "lost", "cpu ns/ev", "p50 us", "p99 us", "heap B/ev");
        for (Result r : results) {
            out.printf(ROW, r.consumer(), count(r.deliveredPerSecond()), count(r.produced()), count(r.lost()),
                    decimal(r.cpuNanosPerEvent()), micros(r.p50Nanos()), micros(r.p99Nanos()),
                    r.allocatedBytes() < 0 ? "-" : decimal(r.bytesPerEvent()));
            if (r.unaccounted() != 0) {
                out.printf("  (!) %d produced samples were neither delivered nor reported lost%n", r.unaccounted());
            }
            Result base = reference(r, results);
            if (base != null) {
                out.printf(ROW, "  / " + base.consumer().replace("libbpf ", ""),
                        ratio(r.deliveredPerSecond(), base.deliveredPerSecond()), ratio(r.produced(), base.produced()),
                        ratio(r.lost(), base.lost()), ratio(r.cpuNanosPerEvent(), base.cpuNanosPerEvent()),
                        ratio(r.p50Nanos(), base.p50Nanos()), ratio(r.p99Nanos(), base.p99Nanos()), "-");
            }
        }
    }

    /** The libbpf result that {@code r} is compared with, or null for a libbpf row. */
    static Result reference(Result r, List<Result> results) {
        if (r.consumer().startsWith("libbpf")) {
            return null;
        }
        JavaConsumer.Mode mode = JavaConsumer.Mode.labelled(r.consumer());
        String wanted = mode != null && mode.batched ? "libbpf wakeup=" : "libbpf default";
        return results.stream().filter(x -> x.consumer().startsWith(wanted)).findFirst().orElse(null);
    }

    /**
     * Prints target {@code n} as met or missed, {@code what} padded to {@code width}, and returns 1 if met: a ratio
     * that is NaN (nothing measured) never meets a target.
     */
    static int target(PrintStream out, int n, String what, int width, double ratio, Predicate<Double> ok) {
        boolean met = !Double.isNaN(ratio) && ok.test(ratio);
        out.printf(Locale.ROOT, "target %d: %-" + width + "s %-6s (measured ratio %.2f)%n", n, what,
                met ? "met" : "missed", ratio);
        return met ? 1 : 0;
    }

    static String ratio(double ours, double theirs) {
        if (Double.isNaN(ours) || Double.isNaN(theirs) || ours < 0 || theirs < 0) {
            return "-";
        }
        if (theirs == 0) {
            return ours == 0 ? "=" : "inf";
        }
        return String.format(Locale.ROOT, "x%.2f", ours / theirs);
    }

    static String count(double n) {
        if (n >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", n / 1e6);
        }
        if (n >= 1e4) {
            return String.format(Locale.ROOT, "%.1fK", n / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", n);
    }

    static String rate(long perSecond) {
        if (perSecond % 1_000_000 == 0) {
            return perSecond / 1_000_000 + "M";
        }
        return perSecond % 1000 == 0 ? perSecond / 1000 + "K" : Long.toString(perSecond);
    }

    static String decimal(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }

    static String micros(long nanos) {
        return nanos < 0 ? "-" : String.format(Locale.ROOT, nanos >= 100_000 ? "%.0f" : "%.1f", nanos / 1e3);
    }
}
