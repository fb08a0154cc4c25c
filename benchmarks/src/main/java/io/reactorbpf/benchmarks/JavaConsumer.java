package io.reactorbpf.benchmarks;

import io.reactorbpf.perf.PerfBufferSpec;
import io.reactorbpf.perf.PerfEvent;
import reactor.core.Disposable;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Our consumer: a {@link PerfBufferSpec} stream (or, for the batched set-up, the blocking buffer) over the
 * producer's {@code events} map, in one of four set-ups, measured on its poller thread ({@code perf-events}):
 * CPU time and heap allocation through {@link com.sun.management.ThreadMXBean}, deliveries and latency through a
 * {@link SampleTally}.
 */
final class JavaConsumer {

    /** How a run reads the rings. */
    enum Mode {
        /** The library's defaults, samples as {@link PerfEvent}s. */
        DEFAULT("ours default"),
        /** libbpf's perf_event_attr (one wakeup per sample) and no timed peek, samples as {@link PerfEvent}s. */
        WAKEUP_EACH("ours wakeup=1"),
        /**
         * The batched libbpf variant's perf_event_attr (wakeup every N samples), no timed peek, through the
         * blocking {@link io.reactorbpf.perf.PerfBuffer} polled as libbpf's consumer polls; samples read in place.
         */
        WAKEUP_BATCH("ours poll wakeup=N"),
        /** The library's defaults, samples decoded in place. */
        DECODE("ours decode");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    private static final String POLLER = "perf-events";
    /** Marks a decoded element: the decoder keeps nothing, so the stream carries no per-sample object. */
    private static final Object DECODED = new Object();

    private final Path loadgen;
    private final Path object;
    private final int batch;

    JavaConsumer(Path loadgen, Path object, int batch) {
        this.loadgen = loadgen;
        this.object = object;
        this.batch = batch;
    }

    Result run(Scenario load, Mode mode) {
        try (LoadGenerator generator = LoadGenerator.start(loadgen, load);
             ProducerProgram producer = ProducerProgram.attach(object, (int) generator.pid(), load.sampleSize())) {
            SampleTally tally = new SampleTally();
            awaitNoPoller();
            PerfBufferSpec spec = spec(PerfBufferSpec.of(producer.events()), mode);
            BlockingPoller blocking = mode == Mode.WAKEUP_BATCH ? BlockingPoller.start(spec, tally) : null;
            Disposable subscription = blocking == null ? subscribe(spec, mode, tally) : blocking::stop;
            try {
                long poller = pollerThread();
                com.sun.management.ThreadMXBean threads =
                        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
                long cpu0 = threads.getThreadCpuTime(poller);
                long heap0 = threads.getThreadAllocatedBytes(poller);
                generator.go();
                double seconds = Runs.elapsedSeconds(generator.awaitResult());
                if (blocking != null) {
                    blocking.drain();
                }
                long produced = settle(generator, producer, tally);
                long cpu = threads.getThreadCpuTime(poller) - cpu0;
                long heap = threads.getThreadAllocatedBytes(poller) - heap0;
                return new Result(mode.label, produced, tally.delivered(), tally.lost(), seconds, cpu,
                        tally.latency().quantile(0.50), tally.latency().quantile(0.99), heap);
            } finally {
                subscription.dispose();
            }
        }
    }

    private PerfBufferSpec spec(PerfBufferSpec spec, Mode mode) {
        return switch (mode) {
            case DEFAULT, DECODE -> spec;
            case WAKEUP_EACH -> spec.withLibbpfDefaults();
            case WAKEUP_BATCH -> spec.withWakeupEvents(batch).withLatencyBound(Duration.ZERO);
        };
    }

    private static Disposable subscribe(PerfBufferSpec spec, Mode mode, SampleTally tally) {
        if (mode == Mode.DECODE) {
            return spec.<Object>decode((cpu, data, offset, length) -> {
                tally.sample(data, offset);
                return DECODED;
            }, (cpu, count) -> {
                tally.lost(count);
                return null;
            }).subscribe();
        }
        return spec.events().subscribe(event -> {
            if (event instanceof PerfEvent.Sample sample) {
                tally.sample(sample.data());
            } else if (event instanceof PerfEvent.Lost lost) {
                tally.lost(lost.count());
            }
        });
    }

    /**
     * Waits until every produced sample is delivered or reported lost. The kernel writes a LOST record only
     * before a later sample that fits, so after the load it asks the generator for one sample per CPU.
     */
    static long settle(LoadGenerator generator, ProducerProgram producer, SampleTally tally) {
        long produced = producer.produced();
        for (int round = 0; round < 40 && tally.delivered() + tally.lost() < produced; round++) {
            // the poller drains on its own: give it a moment, then give the kernel a reason to write LOST
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
            if (round % 4 == 3) {
                generator.flush();
            }
            produced = producer.produced();
        }
        return producer.produced();
    }

    /** The id of the one live thread named {@code perf-events}. */
    private static long pollerThread() {
        long id = -1;
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            if (info.getThreadName().equals(POLLER)) {
                if (id != -1) {
                    throw new IllegalStateException("two threads are named " + POLLER + "; measuring either would be wrong");
                }
                id = info.getThreadId();
            }
        }
        if (id == -1) {
            throw new IllegalStateException("no poller thread named " + POLLER + " is running");
        }
        return id;
    }

    /** Waits (up to 2 s) for the previous run's poller, which leaves after cancel on its own, to be gone. */
    private static void awaitNoPoller() {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < deadline && Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(POLLER))) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }
}
