package io.reactorbpf.benchmarks;

import io.reactorbpf.perf.PerfStream;
import reactor.core.Disposable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * How often an idle default stream's poller wakes: a stream subscribed to the producer's map while the load
 * generator stays parked (nothing is produced), measured as the poller thread's context switches, voluntary and
 * not, from {@code /proc/self/task/TID/status} over {@link #SECONDS} seconds. Each return from a wait is a
 * switch in, so this counts every wakeup, timed or not.
 */
final class IdleProbe {

    static final int SECONDS = 10;
    private static final String POLLER = "perf-events";

    private final Path loadgen;
    private final Path object;

    IdleProbe(Path loadgen, Path object) {
        this.loadgen = loadgen;
        this.object = object;
    }

    /** The poller's context switches over the idle spell. */
    long run() {
        try (LoadGenerator generator = LoadGenerator.start(loadgen, new Scenario(64, 1, 0, 1));
             ProducerProgram producer = ProducerProgram.attach(object, (int) generator.pid(), 64)) {
            PollerThread.awaitGone(POLLER);
            Disposable subscription = PerfStream.events(producer.events()).subscribe();
            try {
                // let the poller reach its first wait
                LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
                Path task = task(POLLER);
                long before = switches(task);
                LockSupport.parkNanos(Duration.ofSeconds(SECONDS).toNanos());
                long after = switches(task);
                if (producer.produced() != 0) {
                    throw new IllegalStateException("the idle spell was not idle: " + producer.produced() + " produced");
                }
                return after - before;
            } finally {
                subscription.dispose();
            }
        }
    }

    /** The {@code /proc/self/task} entry of the thread named {@code name} (its comm, at most 15 characters). */
    private static Path task(String name) {
        String comm = name.length() > 15 ? name.substring(0, 15) : name;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.filter(t -> comm.equals(read(t.resolve("comm")).strip())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no thread named " + comm + " in /proc/self/task"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long switches(Path task) {
        long n = 0;
        for (String line : read(task.resolve("status")).split("\n")) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                n += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return n;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
