package io.reactorbpf.benchmarks;

import io.reactorbpf.perf.PerfEvent;
import io.reactorbpf.perf.PerfStream;
import reactor.core.Disposable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A flat-out burst against a cold stream: each run is a new JVM (so nothing of the reader is compiled yet) that
 * loads the producer, subscribes a default stream of events, and {@link #DELAY} after {@code subscribe} returns
 * starts one load thread flat out for {@link #SECONDS} s; it prints what was produced, delivered and lost.
 *
 * <p>usage (the child): {@code ColdBurst --bin DIR --object producer.bpf.o}.
 */
public final class ColdBurst {

    static final Duration DELAY = Duration.ofSeconds(1);
    static final double SECONDS = 3;

    /** One run's totals. */
    record Outcome(long produced, long delivered, long lost) {
        long unaccounted() {
            return produced - delivered - lost;
        }
    }

    private ColdBurst() {
    }

    public static void main(String[] args) {
        Path bin = Path.of(args[1]);
        Path object = Path.of(args[3]);
        Scenario load = new Scenario(64, 1, 0, SECONDS);
        try (LoadGenerator generator = LoadGenerator.start(bin.resolve("loadgen"), load);
             ProducerProgram producer = ProducerProgram.attach(object, (int) generator.pid(), load.sampleSize())) {
            SampleTally tally = new SampleTally();
            Disposable subscription = PerfStream.events(producer.events()).subscribe(event -> {
                if (event instanceof PerfEvent.Sample sample) {
                    tally.sample(sample.data());
                } else if (event instanceof PerfEvent.Lost lost) {
                    tally.lost(lost.count());
                }
            });
            try {
                LockSupport.parkNanos(DELAY.toNanos());
                generator.go();
                generator.awaitResult();
                long produced = JavaConsumer.settle(generator, producer, tally);
                System.out.println("result produced=" + produced + " delivered=" + tally.delivered()
                        + " lost=" + tally.lost());
            } finally {
                subscription.dispose();
            }
        }
    }

    /** Runs the burst {@code runs} times, each in a JVM of its own with this JVM's class path. */
    static List<Outcome> run(Path bin, Path object, int runs) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                ColdBurst.class.getName(), "--bin", bin.toString(), "--object", object.toString());
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String line = Runs.resultLine(Path.of(java), command);
            Map<String, String> f = Runs.fields(line);
            outcomes.add(new Outcome(Runs.number(f, "produced", line), Runs.number(f, "delivered", line),
                    Runs.number(f, "lost", line)));
        }
        return outcomes;
    }
}
