package io.reactorbpf.benchmarks;

import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.Kernel;

import java.io.PrintStream;
import java.nio.file.Path;
import io.reactorbpf.core.sys.FileDescriptor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Runs the side-by-side ring buffer scenarios (libbpf's ring_buffer and our two readers, each with our loader's
 * loss counting on and off, on the same producer and load), prints a table per scenario, then the targets as met
 * or missed.
 *
 * <p>usage: {@code RingBufBench --bin DIR --object producer_ringbuf.bpf.o [--quick]}, where DIR holds the
 * {@code loadgen} and {@code libbpf_ringbuf_consumer} binaries. Must run as root (bpf).
 *
 * <p>A full run measures each scenario in three passes, every consumer once per pass and side by side, and
 * reports for each consumer the pass with its median CPU per event (the median share failed on the ladder), so
 * one disturbed pass on a shared machine does not decide a ratio; {@code --quick} makes one pass. Every run of
 * every pass is checked for produced == delivered + failed, and every counted run for reported lost == failed.
 */
public final class RingBufBench {

    private static final int SMALL = 64;
    private static final int RING_SMALL = 256 << 10;
    private static final int RING_LARGE = 4 << 20;
    /** Fixed rates for the lossless-throughput search, beside the flat-out runs. */
    private static final long[] LADDER = {250_000, 500_000, 1_000_000};
    /** What "within noise" allows the cost of loss counting. */
    private static final double COUNTING_NOISE = 1.05;

    private final PrintStream out = System.out;
    private final double seconds;
    private final int passes;
    private final LibbpfRingBufConsumer libbpf;
    private final RingBufConsumer ours;
    private final RingBufReport report = new RingBufReport(out);
    private final Map<RingBufLoad, List<RingBufResult>> results = new LinkedHashMap<>();
    /** Each table scenario's runs, every pass of every consumer, in pass order. */
    private final Map<RingBufLoad, Map<String, List<RingBufResult>>> everyPass = new LinkedHashMap<>();
    private final List<RingBufResult> unbalanced = new ArrayList<>();
    private int runs;

    private RingBufBench(Path bin, Path object, double seconds, int passes) {
        this.seconds = seconds;
        this.passes = passes;
        Path loadgen = bin.resolve("loadgen");
        this.libbpf = new LibbpfRingBufConsumer(bin.resolve("libbpf_ringbuf_consumer"), object, loadgen);
        this.ours = new RingBufConsumer(loadgen, object);
    }

    public static void main(String[] args) {
        String usage = "usage: RingBufBench --bin DIR --object producer_ringbuf.bpf.o [--quick]";
        Path bin = null;
        Path object = null;
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bin" -> bin = Path.of(args[++i]);
                case "--object" -> object = Path.of(args[++i]);
                case "--quick" -> quick = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; " + usage);
            }
        }
        if (bin == null || object == null) {
            throw new IllegalArgumentException(usage);
        }
        try (FileDescriptor statistics = ProgramRunTime.enableStatistics()) {
            new RingBufBench(bin, object, quick ? 1.0 : 2.5, quick ? 1 : 3).run();
        }
    }

    private void run() {
        out.printf(Locale.ROOT, "ring buffer benchmarks: kernel %s, %d online CPUs, rings of %s and %s, %.1f s per run,"
                + " %d pass(es) per scenario (median CPU per event)%n", Kernel.release(), CpuSet.online().size(),
                RingBufLoad.ringSize(RING_SMALL), RingBufLoad.ringSize(RING_LARGE), seconds, passes);
        out.println("the producer writes with bpf_ringbuf_output(flags 0): the kernel wakes the reader when it has caught"
                + " up; the program counts its attempts (produced) and its failed outputs (failed) itself");
        out.println("ours stream: RingBufStream defaults, decoded in place; ours poll: the blocking RingBuffer, 50 ms"
                + " polls as libbpf's consumer polls; 'uncounted': the program loaded with countRingBufLosses(false)");
        out.println("rep.lost: the losses the reader reported (our loader's count; '-': libbpf reports none); cpu ns/ev:"
                + " the reading thread's CPU time over delivered; '/ libbpf' rows: ours divided by libbpf ring_buffer");
        out.println("prog ns: the producer program's run time per run (BPF run-time statistics, on for the whole run,"
                + " which adds the same two clock reads to every run of every consumer's program)");
        out.println("our Java consumers are warmed up first (one short flat-out run per set-up, not reported)");
        for (RingBufConsumer.Mode mode : RingBufConsumer.Mode.values()) {
            ours.run(new RingBufLoad(new Scenario(SMALL, 1, 0, 0.5), RING_SMALL), mode);
        }
        for (int ring : new int[] {RING_SMALL, RING_LARGE}) {
            scenario(new RingBufLoad(new Scenario(SMALL, 1, 0, seconds), ring));
            scenario(new RingBufLoad(new Scenario(SMALL, 2, 0, seconds), ring));
        }
        scenario(new RingBufLoad(new Scenario(SMALL, 1, 100_000, seconds), RING_SMALL));
        ladder();
        targets();
    }

    /**
     * Runs every consumer {@code passes} times on {@code load} and keeps the pass with each one's median CPU per
     * event. A pass runs libbpf, our stream pair and our poll pair as three blocks, each pair counted and uncounted
     * back to back so the cost of counting is measured between neighbours; the blocks rotate and the pairs swap
     * from pass to pass, so no consumer always runs first or last while the machine's load drifts.
     */
    private void scenario(RingBufLoad load) {
        List<List<Supplier<RingBufResult>>> blocks = List.of(
                List.of(() -> libbpf.run(load)),
                List.of(() -> ours.run(load, RingBufConsumer.Mode.STREAM),
                        () -> ours.run(load, RingBufConsumer.Mode.STREAM_UNCOUNTED)),
                List.of(() -> ours.run(load, RingBufConsumer.Mode.POLL),
                        () -> ours.run(load, RingBufConsumer.Mode.POLL_UNCOUNTED)));
        Map<String, List<RingBufResult>> byConsumer = new LinkedHashMap<>();
        byConsumer.put(LibbpfRingBufConsumer.LABEL, new ArrayList<>());
        for (RingBufConsumer.Mode mode : RingBufConsumer.Mode.values()) {
            byConsumer.put(mode.label, new ArrayList<>());
        }
        for (int pass = 0; pass < passes; pass++) {
            for (int b = 0; b < blocks.size(); b++) {
                List<Supplier<RingBufResult>> block = new ArrayList<>(blocks.get((b + pass) % blocks.size()));
                if (pass % 2 == 1) {
                    Collections.reverse(block);
                }
                for (Supplier<RingBufResult> consumer : block) {
                    RingBufResult r = checked(consumer.get());
                    byConsumer.get(r.run().consumer()).add(r);
                }
            }
        }
        List<RingBufResult> row = new ArrayList<>();
        for (List<RingBufResult> consumerRuns : byConsumer.values()) {
            row.add(median(consumerRuns, Bench.medianByCpu(consumerRuns.stream().map(RingBufResult::run).toList())));
        }
        results.put(load, row);
        everyPass.put(load, byConsumer);
        report.table(load, row);
    }

    /** Extra fixed rates for the lossless-throughput search, libbpf's ring_buffer against our stream. */
    private void ladder() {
        out.printf("%n== lossless-throughput ladder: 64 B samples, 1 thread, %s ring, libbpf ring_buffer vs ours stream ==%n",
                RingBufLoad.ringSize(RING_SMALL));
        out.printf("%-8s %-44s %-44s%n", "rate/s", "libbpf ring_buffer: events/s failed/produced",
                "ours stream: events/s failed/produced");
        for (long rate : LADDER) {
            RingBufLoad load = new RingBufLoad(new Scenario(SMALL, 1, rate, seconds), RING_SMALL);
            List<RingBufResult> theirs = new ArrayList<>();
            List<RingBufResult> mine = new ArrayList<>();
            for (int pass = 0; pass < passes; pass++) {
                theirs.add(checked(libbpf.run(load)));
                mine.add(checked(ours.run(load, RingBufConsumer.Mode.STREAM)));
            }
            List<RingBufResult> row = List.of(medianByFailed(theirs), medianByFailed(mine));
            results.put(load, row);
            out.printf("%-8s %-44s %-44s%n", Report.rate(rate), rung(row.get(0)), rung(row.get(1)));
        }
    }

    private RingBufResult checked(RingBufResult r) {
        runs++;
        if (!r.balances()) {
            unbalanced.add(r);
        }
        return r;
    }

    private static RingBufResult median(List<RingBufResult> runs, Result chosen) {
        return runs.stream().filter(r -> r.run() == chosen).findFirst().orElseThrow();
    }

    private static RingBufResult medianByFailed(List<RingBufResult> runs) {
        return median(runs, Bench.medianByLost(runs.stream().map(RingBufResult::run).toList()));
    }

    private static String rung(RingBufResult rb) {
        Result r = rb.run();
        return Report.count(r.deliveredPerSecond()) + " " + r.lost() + "/" + r.produced()
                + (rb.balances() ? "" : " (does not balance)");
    }

    private void targets() {
        out.printf("%n== ring buffer targets ==%n");
        int met = cpuPerEvent() + losslessThroughput() + countingCost(3, "consumer CPU per event counted/uncounted",
                false, r -> r.run().cpuNanosPerEvent()) + countingCost(4,
                "delivered events/s uncounted/counted (flat out)", true, r -> 1 / r.run().deliveredPerSecond())
                + balance();
        out.printf("ring buffer targets met: %d/5%n", met);
    }

    private int cpuPerEvent() {
        double stream = ratioToLibbpf(RingBufConsumer.Mode.STREAM);
        double poll = ratioToLibbpf(RingBufConsumer.Mode.POLL);
        out.printf(Locale.ROOT, "consumer CPU per delivered event, geometric mean over the %d table scenarios of"
                + " ours/libbpf ring_buffer, our defaults (loss counting on): stream x%.2f, poll x%.2f; the worse counts%n",
                results.size() - LADDER.length, stream, poll);
        out.printf(Locale.ROOT, "  (with loss counting off, as libbpf's program is loaded: stream x%.2f, poll x%.2f)%n",
                ratioToLibbpf(RingBufConsumer.Mode.STREAM_UNCOUNTED), ratioToLibbpf(RingBufConsumer.Mode.POLL_UNCOUNTED));
        return target(1, "CPU per event <= 1.0x libbpf ring_buffer", Math.max(stream, poll), r -> r <= 1.0);
    }

    private int losslessThroughput() {
        double mine = lossless(RingBufConsumer.Mode.STREAM.label);
        double theirs = lossless(LibbpfRingBufConsumer.LABEL);
        out.println("lossless throughput := the highest delivered events/s among the 64 B one-thread runs (100K/s, the"
                + " ladder's rates, flat out with either ring) that failed no output and balance;\n  a generator slowed"
                + " below its rate counts at the rate it reached");
        out.printf(Locale.ROOT, "  ours stream %s/s, libbpf ring_buffer %s/s%n", Report.count(mine), Report.count(theirs));
        return target(2, "default lossless throughput >= libbpf ring_buffer (ours/libbpf)", mine / theirs, r -> r >= 1.0);
    }

    /**
     * The cost of our loader's loss count as the geometric mean, over every pass of every table scenario (flat out
     * only with {@code flatOutOnly}), of {@code cost} counted over {@code cost} uncounted, each counted run against
     * the uncounted run of the same reader beside it; the worse of stream and poll counts.
     */
    private int countingCost(int n, String what, boolean flatOutOnly, ToDoubleFunction<RingBufResult> cost) {
        double stream = countingRatio(RingBufConsumer.Mode.STREAM, flatOutOnly, cost);
        double poll = countingRatio(RingBufConsumer.Mode.POLL, flatOutOnly, cost);
        out.printf(Locale.ROOT, "cost of loss counting, %s, geometric mean over %d neighbouring pairs: stream x%.2f,"
                + " poll x%.2f; the worse counts%n", what, pairs(flatOutOnly), stream, poll);
        if (n == 4) {
            // where the five added instructions run; but a run also pays for the wakeup it raises, which varies more
            ToDoubleFunction<RingBufResult> program = r -> r.program().nanosPerRun();
            out.printf(Locale.ROOT, "  (the producer program's own ns per run counted/uncounted, over %d pairs: stream"
                    + " x%.2f, poll x%.2f; most of a run is bpf_ringbuf_output's copy and the wakeup it raises when"
                    + " the reader has caught up, not the added compare-and-jump)%n", pairs(false),
                    countingRatio(RingBufConsumer.Mode.STREAM, false, program),
                    countingRatio(RingBufConsumer.Mode.POLL, false, program));
        }
        return target(n, "loss counting: " + what.replaceFirst(" counted/uncounted| uncounted/counted", "")
                + " <= 1.05x", Math.max(stream, poll), r -> r <= COUNTING_NOISE);
    }

    private double countingRatio(RingBufConsumer.Mode counted, boolean flatOutOnly,
                                 ToDoubleFunction<RingBufResult> cost) {
        double logs = 0;
        int n = 0;
        for (Map.Entry<RingBufLoad, Map<String, List<RingBufResult>>> e : everyPass.entrySet()) {
            if (flatOutOnly && e.getKey().load().rate() != 0) {
                continue;
            }
            List<RingBufResult> on = e.getValue().get(counted.label);
            List<RingBufResult> off = e.getValue().get(counted.uncounted().label);
            for (int pass = 0; pass < on.size(); pass++) {
                double ratio = cost.applyAsDouble(on.get(pass)) / cost.applyAsDouble(off.get(pass));
                if (Double.isFinite(ratio) && ratio > 0) {
                    logs += Math.log(ratio);
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : Math.exp(logs / n);
    }

    private long pairs(boolean flatOutOnly) {
        return everyPass.keySet().stream().filter(load -> !flatOutOnly || load.load().rate() == 0).count() * passes;
    }

    private int balance() {
        out.printf("conservation: %d of %d runs (every pass, every consumer) had produced == delivered + failed and, where"
                + " our loader counted, reported lost == failed%n", runs - unbalanced.size(), runs);
        for (RingBufResult r : unbalanced) {
            out.printf("  (!) %s: %s%n", r.run().consumer(), RingBufReport.balance(r));
        }
        return target(5, "every run balances (unbalanced runs / runs)", runs == 0 ? Double.NaN
                : (double) unbalanced.size() / runs, r -> r == 0);
    }

    private int target(int n, String what, double ratio, Predicate<Double> ok) {
        return Report.target(out, n, what, 64, ratio, ok);
    }

    private double lossless(String consumer) {
        double best = 0;
        for (Map.Entry<RingBufLoad, List<RingBufResult>> e : results.entrySet()) {
            Scenario load = e.getKey().load();
            if (load.sampleSize() != SMALL || load.threads() != 1) {
                continue;
            }
            for (RingBufResult r : e.getValue()) {
                if (r.run().consumer().equals(consumer) && r.run().lost() == 0 && r.balances()) {
                    best = Math.max(best, r.run().deliveredPerSecond());
                }
            }
        }
        return best;
    }

    /** Geometric mean over the table scenarios of {@code mode}'s CPU per event (median passes) over libbpf's. */
    private double ratioToLibbpf(RingBufConsumer.Mode mode) {
        double logs = 0;
        int n = 0;
        for (List<RingBufResult> row : results.values()) {
            if (row.size() <= 2) {
                continue;
            }
            Result mine = find(row, mode.label);
            Result theirs = find(row, LibbpfRingBufConsumer.LABEL);
            if (mine.delivered() > 0 && theirs.delivered() > 0) {
                logs += Math.log(mine.cpuNanosPerEvent() / theirs.cpuNanosPerEvent());
                n++;
            }
        }
        return n == 0 ? Double.NaN : Math.exp(logs / n);
    }

    private static Result find(List<RingBufResult> row, String consumer) {
        return row.stream().map(RingBufResult::run).filter(r -> r.consumer().equals(consumer)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + consumer + " result"));
    }
}
