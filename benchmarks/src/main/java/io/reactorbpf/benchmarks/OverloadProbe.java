package io.reactorbpf.benchmarks;

import io.reactorbpf.perf.PerfStream;
import io.reactorbpf.perf.PerfEvent;
import reactor.core.Disposable;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Overloads our default stream (a subscriber that spends {@link #WORK_NANOS} per sample against a flat-out
 * producer) and samples the heap in use after a full GC before, during and after the run, to show that the rings,
 * not the heap, absorb what the subscriber cannot take.
 */
final class OverloadProbe {

    /** Busy time the subscriber spends per sample, so the producer outruns it. */
    static final long WORK_NANOS = 5_000;
    private static final int SAMPLES = 4;

    record Outcome(long heapBefore, long heapMax, long heapAfter, long produced, long delivered, long lost) {
        long growth() {
            return Math.max(heapMax, heapAfter) - heapBefore;
        }
    }

    private final Path loadgen;
    private final Path object;

    OverloadProbe(Path loadgen, Path object) {
        this.loadgen = loadgen;
        this.object = object;
    }

    Outcome run(Scenario load) {
        try (LoadGenerator generator = LoadGenerator.start(loadgen, load);
             ProducerProgram producer = ProducerProgram.attach(object, (int) generator.pid(), load.sampleSize())) {
            SampleTally tally = new SampleTally();
            long before = heapAfterGc();
            Disposable subscription = PerfStream.events(producer.events()).subscribe(event -> {
                if (event instanceof PerfEvent.Sample sample) {
                    tally.sample(sample.data());
                    long until = System.nanoTime() + WORK_NANOS;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                } else if (event instanceof PerfEvent.Lost lost) {
                    tally.lost(lost.count());
                }
            });
            try {
                generator.go();
                long max = before;
                long step = (long) (load.seconds() * 1e9 / (SAMPLES + 1));
                for (int i = 0; i < SAMPLES; i++) {
                    LockSupport.parkNanos(step);
                    max = Math.max(max, heapAfterGc());
                }
                generator.awaitResult();
                long produced = JavaConsumer.settle(generator, producer, tally);
                long after = heapAfterGc();
                return new Outcome(before, max, after, produced, tally.delivered(), tally.lost());
            } finally {
                subscription.dispose();
            }
        }
    }

    private static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        return memory.getHeapMemoryUsage().getUsed();
    }
}
