package io.reactorbpf.benchmarks;

import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.Kernel;
import io.reactorbpf.perf.PerfBufferOptions;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Runs the side-by-side scenarios (libbpf's perf_buffer and ours, on the same producer and load), prints a
 * table per scenario, the lossless-throughput ladders, an idle spell and cold bursts, then the twelve performance
 * targets as met or missed.
 *
 * <p>usage: {@code Bench --bin DIR --object producer.bpf.o [--quick] [--only SCENARIO]}, where DIR holds the {@code loadgen} and
 * {@code libbpf_consumer} binaries. Must run as root (bpf, perf events).
 *
 * <p>A full run measures each table scenario and each rung of the lossless-throughput ladder in three passes,
 * every consumer once per pass and side by side, and reports for each consumer the pass with its median CPU
 * per event (tables) or median share lost (ladder), so one disturbed pass on a shared machine does not decide
 * a ratio; {@code --quick} makes one pass.
 */
public final class Bench {

    /** wakeup_events of the batched libbpf variant and of our matching set-up. */
    static final int BATCH = 64;
    /** Ring size for every consumer: our default, passed to libbpf as its page_cnt. */
    static final int PAGES = PerfBufferOptions.DEFAULT_PAGES;
    private static final int SMALL = 64;
    private static final int LARGE = 1024;
    private static final long[] LADDER = {10_000, 30_000, 300_000, 500_000, 700_000, 850_000, 1_000_000};
    /** Total rates of the two-thread ladder, around ten times what libbpf's default delivers flat out. */
    private static final long[] LADDER_2 = {1_000_000, 2_000_000, 2_500_000, 3_000_000};
    private static final int COLD_RUNS = 5;
    private static final int TARGETS = 12;

    private final PrintStream out = System.out;
    private final double seconds;
    private final int passes;
    /** Runs only the table scenarios whose name contains this, and no ladder or targets; null for everything. */
    private final String only;
    private final LibbpfConsumer libbpf;
    private final JavaConsumer ours;
    private final OverloadProbe overload;
    private final IdleProbe idle;
    private final Path bin;
    private final Path object;
    private final Report report = new Report(out);
    private final Map<Scenario, List<Result>> results = new LinkedHashMap<>();

    private Bench(Path bin, Path object, double seconds, int passes, String only) {
        this.seconds = seconds;
        this.passes = passes;
        this.only = only;
        Path loadgen = bin.resolve("loadgen");
        this.libbpf = new LibbpfConsumer(bin.resolve("libbpf_consumer"), object, loadgen, PAGES);
        this.ours = new JavaConsumer(loadgen, object, BATCH);
        this.overload = new OverloadProbe(loadgen, object);
        this.idle = new IdleProbe(loadgen, object);
        this.bin = bin;
        this.object = object;
    }

    public static void main(String[] args) {
        Path bin = null;
        Path object = null;
        boolean quick = false;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bin" -> bin = Path.of(args[++i]);
                case "--object" -> object = Path.of(args[++i]);
                case "--quick" -> quick = true;
                case "--only" -> only = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: Bench --bin DIR --object producer.bpf.o [--quick] [--only SCENARIO]");
            }
        }
        if (bin == null || object == null) {
            throw new IllegalArgumentException("usage: Bench --bin DIR --object producer.bpf.o [--quick] [--only SCENARIO]");
        }
        new Bench(bin, object, quick ? 1.0 : 2.5, quick ? 1 : 3, only).run();
    }

    private void run() {
        out.printf(Locale.ROOT, "perf buffer benchmarks: kernel %s, %d online CPUs, %d pages per ring, batched"
                + " wakeup_events=%d, %.1f s per run (%.1f s at 1K/s), %d pass(es) per table scenario (median CPU per"
                + " event)%n", Kernel.release(), CpuSet.online().size(), PAGES, BATCH, seconds, slowSeconds(), passes);
        out.println("our Java consumers are warmed up first (one short flat-out run per set-up, not reported)");
        out.println("events/s: delivered per second of load; produced, lost: totals (lost as the LOST records"
                + " reported it); cpu ns/ev: the consumer thread's CPU time over delivered; p50/p99: delivery latency"
                + " (receive CLOCK_MONOTONIC - bpf_ktime_get_ns); heap B/ev: bytes the poller thread allocated over"
                + " delivered; '/ X' rows: ours divided by libbpf X (same perf_event_attr where there is one)");
        out.println("ours wakeup=1, wakeup=N: our stream with libbpf's attributes, reading samples in place as libbpf's"
                + " callback does; ours poll wakeup=N: the blocking PerfBuffer, polled as libbpf's consumer polls; ours"
                + " default and decode: the defaults (adaptive wakeups), events as elements or read in place");
        for (JavaConsumer.Mode mode : JavaConsumer.Mode.values()) {
            ours.run(new Scenario(SMALL, 1, 0, 0.5), mode);
        }
        for (int size : new int[] {SMALL, LARGE}) {
            scenario(new Scenario(size, 1, 0, seconds));
            scenario(new Scenario(size, 2, 0, seconds));
            scenario(new Scenario(size, 1, 1_000, slowSeconds()));
            scenario(new Scenario(size, 1, 100_000, seconds));
        }
        if (only != null) {
            return;
        }
        ladder(1, LADDER);
        ladder(2, LADDER_2);
        Scenario heavy = new Scenario(SMALL, 2, 0, Math.max(2, seconds));
        OverloadProbe.Outcome flood = overload.run(heavy);
        out.printf("%n== idle: a default stream, nothing produced, %d s ==%n", IdleProbe.SECONDS);
        long switches = idle.run();
        out.printf(Locale.ROOT, "poller thread context switches: %d (%.1f a second)%n", switches,
                switches / (double) IdleProbe.SECONDS);
        out.printf(Locale.ROOT, "%n== cold burst: a new JVM per run, default stream, 64 B flat out, 1 thread, %.0f s from"
                + " %d s after subscribe ==%n", ColdBurst.SECONDS, ColdBurst.DELAY.toSeconds());
        List<ColdBurst.Outcome> cold = ColdBurst.run(bin, object, COLD_RUNS);
        for (ColdBurst.Outcome c : cold) {
            out.printf("produced %d, delivered %d, lost %d%s%n", c.produced(), c.delivered(), c.lost(),
                    c.unaccounted() == 0 ? "" : " (!) " + c.unaccounted() + " unaccounted");
        }
        targets(flood, switches, cold);
    }

    private void scenario(Scenario load) {
        if (only != null && !load.name().contains(only)) {
            return;
        }
        List<List<Result>> byConsumer = new ArrayList<>();
        for (int pass = 0; pass < passes; pass++) {
            List<Result> row = new ArrayList<>();
            row.add(libbpf.run(load, 1));
            row.add(libbpf.run(load, BATCH));
            for (JavaConsumer.Mode mode : JavaConsumer.Mode.values()) {
                row.add(ours.run(load, mode));
            }
            for (int i = 0; i < row.size(); i++) {
                if (byConsumer.size() <= i) {
                    byConsumer.add(new ArrayList<>());
                }
                byConsumer.get(i).add(row.get(i));
            }
        }
        List<Result> row = new ArrayList<>();
        for (List<Result> runs : byConsumer) {
            row.add(medianByCpu(runs));
        }
        results.put(load, row);
        report.table(load, row);
    }

    /** The run with the median share of samples lost, for the lossless-throughput ladder. */
    static Result medianByLost(List<Result> runs) {
        List<Result> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(r -> r.produced() == 0 ? 0 : (double) r.lost() / r.produced()));
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** The run with the median CPU per delivered event (the lower middle one for an even count). */
    static Result medianByCpu(List<Result> runs) {
        List<Result> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(r -> Double.isNaN(r.cpuNanosPerEvent())
                ? Double.MAX_VALUE : r.cpuNanosPerEvent()));
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** Extra fixed total rates of {@code threads} threads for the lossless-throughput search, libbpf's default against ours. */
    private void ladder(int threads, long[] rates) {
        out.printf("%n== lossless-throughput ladder: 64 B samples, %d %s, libbpf default vs ours default ==%n", threads,
                threads == 1 ? "thread" : "threads");
        out.printf("%-8s %-36s %-36s%n", "rate/s", "libbpf default: events/s lost/produced",
                "ours default: events/s lost/produced");
        for (long rate : rates) {
            Scenario load = new Scenario(SMALL, threads, rate, seconds);
            List<Result> theirs = new ArrayList<>();
            List<Result> mine = new ArrayList<>();
            for (int pass = 0; pass < passes; pass++) {
                theirs.add(libbpf.run(load, 1));
                mine.add(ours.run(load, JavaConsumer.Mode.DEFAULT));
            }
            List<Result> row = List.of(medianByLost(theirs), medianByLost(mine));
            results.put(load, row);
            out.printf("%-8s %-36s %-36s%n", Report.rate(rate), rung(row.get(0)), rung(row.get(1)));
        }
    }

    private static String rung(Result r) {
        return Report.count(r.deliveredPerSecond()) + " " + r.lost() + "/" + r.produced();
    }

    private void targets(OverloadProbe.Outcome flood, long idleSwitches, List<ColdBurst.Outcome> cold) {
        out.printf("%n== targets ==%n");
        out.println("'ours default' is our stream with the default options, samples as PerfEvent elements (a copy each);"
                + " 'ours decode', the same options reading samples in place, as libbpf's callback does, is shown beside it");
        int met = lowRate() + midRate() + losslessThroughput(1) + losslessThroughput(2) + flatOutCpu()
                + idle(idleSwitches) + coldBurst(cold) + cpuPerEvent() + decodeAllocation() + flatHeap(flood);
        out.printf("targets met: %d/%d%n", met, TARGETS);
    }

    /** Targets 1 and 2: at 1K/s, p99 within 2x and CPU per event within 1.0x of libbpf's default, 64 B and 1 KiB. */
    private int lowRate() {
        double p99 = 0;
        double cpu = 0;
        for (int size : new int[] {SMALL, LARGE}) {
            List<Result> row = results.get(new Scenario(size, 1, 1_000, slowSeconds()));
            Result mine = pick(row, "ours default");
            Result decode = pick(row, "ours decode");
            Result theirs = pick(row, "libbpf default");
            p99 = Math.max(p99, (double) mine.p99Nanos() / theirs.p99Nanos());
            cpu = Math.max(cpu, mine.cpuNanosPerEvent() / theirs.cpuNanosPerEvent());
            out.printf(Locale.ROOT, "1K/s %s: p99 ours %s us, libbpf default %s us; CPU per event ours %s ns (decode %s),"
                    + " libbpf default %s ns%n", size(size), Report.micros(mine.p99Nanos()),
                    Report.micros(theirs.p99Nanos()), Report.decimal(mine.cpuNanosPerEvent()),
                    Report.decimal(decode.cpuNanosPerEvent()), Report.decimal(theirs.cpuNanosPerEvent()));
        }
        return target(1, "1K/s p99 <= 2x libbpf default (worse size)", p99 / 2, r -> r <= 1.0)
                + target(2, "1K/s CPU/event <= 1.0x libbpf default", cpu, r -> r <= 1.0);
    }

    /** Targets 3 and 4: at 100K/s, p99 within 1 ms and CPU per event within 1.0x of libbpf's batched variant. */
    private int midRate() {
        long p99 = 0;
        double cpu = 0;
        for (int size : new int[] {SMALL, LARGE}) {
            List<Result> row = results.get(new Scenario(size, 1, 100_000, seconds));
            Result mine = pick(row, "ours default");
            Result decode = pick(row, "ours decode");
            Result theirs = pick(row, "libbpf wakeup=");
            p99 = Math.max(p99, mine.p99Nanos());
            cpu = Math.max(cpu, mine.cpuNanosPerEvent() / theirs.cpuNanosPerEvent());
            out.printf(Locale.ROOT, "100K/s %s: p99 ours %s us; CPU per event ours %s ns (decode %s), libbpf"
                    + " wakeup_events=%d %s ns%n", size(size), Report.micros(mine.p99Nanos()),
                    Report.decimal(mine.cpuNanosPerEvent()), Report.decimal(decode.cpuNanosPerEvent()), BATCH,
                    Report.decimal(theirs.cpuNanosPerEvent()));
        }
        return target(3, "100K/s p99 <= 1 ms (worse size; ratio to 1 ms)", p99 / 1e6, r -> r <= 1.0)
                + target(4, "100K/s CPU/event <= 1.0x libbpf wakeup=" + BATCH, cpu, r -> r <= 1.0);
    }

    /** Targets 5 and 6: lossless throughput of {@code threads} threads at least ten times libbpf's default. */
    private int losslessThroughput(int threads) {
        double oursLossless = lossless("ours default", threads);
        double theirsLossless = lossless("libbpf default", threads);
        if (threads == 1) {
            out.println("lossless throughput := the highest delivered events/s among the 64 B runs of that many threads"
                    + " (ladder rates and flat out) that lost nothing and left nothing unaccounted;\n  a generator"
                    + " slowed below its rate (libbpf's wakeup per sample slows the producer) counts at the rate it reached");
        }
        out.printf(Locale.ROOT, "  %d %s: ours default %s/s, libbpf default %s/s%n", threads,
                threads == 1 ? "thread" : "threads", Report.count(oursLossless), Report.count(theirsLossless));
        return target(threads == 1 ? 5 : 6, "lossless throughput, " + threads + " thread" + (threads == 1 ? "" : "s")
                + ", >= 10x libbpf default", oursLossless / theirsLossless, r -> r >= 10);
    }

    /** Target 7: flat out, CPU per event within 1.0x of libbpf's batched variant, 1 and 2 threads, both sizes. */
    private int flatOutCpu() {
        double worst = 0;
        for (int size : new int[] {SMALL, LARGE}) {
            for (int threads : new int[] {1, 2}) {
                List<Result> row = results.get(new Scenario(size, threads, 0, seconds));
                Result mine = pick(row, "ours default");
                Result theirs = pick(row, "libbpf wakeup=");
                worst = Math.max(worst, mine.cpuNanosPerEvent() / theirs.cpuNanosPerEvent());
                out.printf(Locale.ROOT, "flat out %s, %d thread(s): CPU per event ours %s ns (decode %s), libbpf"
                        + " wakeup_events=%d %s ns%n", size(size), threads, Report.decimal(mine.cpuNanosPerEvent()),
                        Report.decimal(pick(row, "ours decode").cpuNanosPerEvent()), BATCH,
                        Report.decimal(theirs.cpuNanosPerEvent()));
            }
        }
        return target(7, "flat-out CPU/event <= 1.0x libbpf wakeup=" + BATCH + " (worst)", worst, r -> r <= 1.0);
    }

    /** Target 8: an idle stream's poller wakes at most once a second. */
    private int idle(long switches) {
        double perSecond = switches / (double) IdleProbe.SECONDS;
        out.printf(Locale.ROOT, "idle %d s: the poller switched in %d times, %.1f a second%n", IdleProbe.SECONDS,
                switches, perSecond);
        return target(8, "idle wakeups <= 1 a second (ratio to 1)", perSecond, r -> r <= 1.0);
    }

    /** Target 9: nothing lost by a cold stream in any of the burst runs. */
    private int coldBurst(List<ColdBurst.Outcome> runs) {
        long worst = 0;
        boolean balanced = true;
        for (ColdBurst.Outcome c : runs) {
            worst = Math.max(worst, c.lost());
            balanced &= c.unaccounted() == 0;
        }
        out.printf("cold burst: most lost in one of %d runs %d%s%n", runs.size(), worst,
                balanced ? "" : "; some run left samples unaccounted");
        return target(9, "cold burst: 0 lost in every run (most lost)", balanced ? worst : Double.NaN, r -> r == 0);
    }

    /**
     * How long a 1K/s table scenario runs: twice the others, because its CPU per event is a few dozen wakeups a
     * second plus each run's fixed start and end, which a short run leaves to chance.
     */
    private double slowSeconds() {
        return 2 * seconds;
    }

    private int cpuPerEvent() {
        double each = geometricMean(JavaConsumer.Mode.WAKEUP_EACH.label, "libbpf default");
        double batch = geometricMean(JavaConsumer.Mode.WAKEUP_BATCH.label, "libbpf wakeup=");
        double poll = geometricMean(JavaConsumer.Mode.POLL_BATCH.label, "libbpf wakeup=");
        out.printf(Locale.ROOT, "consumer CPU per delivered event, geometric mean over the %d table scenarios of ours/libbpf:"
                + " our stream at wakeup_events=1 x%.2f, at wakeup_events=%d x%.2f; the worse counts%n", tableScenarios(),
                each, BATCH, batch);
        out.printf(Locale.ROOT, "  (our blocking poll at wakeup_events=%d, waiting as libbpf's consumer waits, in 50 ms timed"
                + " polls: x%.2f)%n", BATCH, poll);
        return target(10, "CPU per event <= 1.0x libbpf, same perf_event_attr", Math.max(each, batch), r -> r <= 1.0);
    }

    private int decodeAllocation() {
        Result decode = find(new Scenario(SMALL, 1, 0, seconds), "ours decode");
        out.printf(Locale.ROOT, "decode in place, 64 B flat out 1 thread: %d bytes allocated by the poller over %d events%n",
                decode.allocatedBytes(), decode.delivered());
        return target(11, "decode in place allocates <= 1 B/event", decode.bytesPerEvent(), r -> r <= 1.0);
    }

    private int flatHeap(OverloadProbe.Outcome flood) {
        out.printf(Locale.ROOT, "overload: 2 threads flat out against a subscriber spending %d us per sample: produced %d,"
                        + " delivered %d, lost %d; heap in use after full GC %.1f MiB before, at most %.1f MiB during,"
                        + " %.1f MiB after (flat := growth under 4 MiB)%n", OverloadProbe.WORK_NANOS / 1000,
                flood.produced(), flood.delivered(), flood.lost(), mib(flood.heapBefore()), mib(flood.heapMax()),
                mib(flood.heapAfter()));
        boolean overloaded = flood.lost() > 0;
        if (!overloaded) {
            out.println("  the subscriber kept up, so this run proves nothing about overload");
        }
        return target(12, "heap flat under overload (growth MiB / 4 MiB)", mib(flood.growth()) / 4.0,
                r -> overloaded && r < 1.0);
    }

    private int target(int n, String what, double ratio, Predicate<Double> ok) {
        return Report.target(out, n, what, 52, ratio, ok);
    }

    private double lossless(String consumer, int threads) {
        double best = 0;
        for (Map.Entry<Scenario, List<Result>> e : results.entrySet()) {
            if (e.getKey().sampleSize() != SMALL || e.getKey().threads() != threads) {
                continue;
            }
            for (Result r : e.getValue()) {
                if (r.consumer().equals(consumer) && r.lost() == 0 && r.unaccounted() == 0) {
                    best = Math.max(best, r.deliveredPerSecond());
                }
            }
        }
        return best;
    }

    private long tableScenarios() {
        return results.values().stream().filter(row -> row.size() > 2).count();
    }

    private double geometricMean(String ours, String libbpfPrefix) {
        double logs = 0;
        int n = 0;
        for (List<Result> row : results.values()) {
            Result mine = row.stream().filter(r -> r.consumer().equals(ours)).findFirst().orElse(null);
            Result theirs = row.stream().filter(r -> r.consumer().startsWith(libbpfPrefix)).findFirst().orElse(null);
            if (mine != null && theirs != null && mine.delivered() > 0 && theirs.delivered() > 0) {
                logs += Math.log(mine.cpuNanosPerEvent() / theirs.cpuNanosPerEvent());
                n++;
            }
        }
        return n == 0 ? Double.NaN : Math.exp(logs / n);
    }

    private static Result pick(List<Result> row, String consumerPrefix) {
        return row.stream().filter(r -> r.consumer().startsWith(consumerPrefix)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + consumerPrefix + " result"));
    }

    private static String size(int bytes) {
        return bytes >= 1024 ? bytes / 1024 + " KiB" : bytes + " B";
    }

    private Result find(Scenario load, String consumer) {
        return results.get(load).stream().filter(r -> r.consumer().equals(consumer)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + consumer + " result for " + load.name()));
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
