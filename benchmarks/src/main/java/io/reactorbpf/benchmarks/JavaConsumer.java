package io.reactorbpf.benchmarks;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.perf.PerfBufferOptions;
import io.reactorbpf.perf.PerfEvent;
import io.reactorbpf.perf.PerfStream;
import io.reactorbpf.perf.Wakeup;
import reactor.core.Disposable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Our consumer: a {@link PerfStream} (or the blocking buffer) over the producer's {@code events} map,
 * in one of five set-ups, measured on its poller thread ({@code perf-events}):
 * CPU time and heap allocation through {@link com.sun.management.ThreadMXBean}, deliveries and latency through a
 * {@link SampleTally}.
 */
final class JavaConsumer {

    /** How a run reads the rings. */
    enum Mode {
        /** The library's defaults, samples as {@link PerfEvent}s. */
        DEFAULT("ours default", false),
        /**
         * libbpf's perf_event_attr (one wakeup per sample) and no timed peek; samples read in place, as libbpf's
         * callback reads them.
         */
        WAKEUP_EACH("ours wakeup=1", false),
        /**
         * The batched libbpf variant's perf_event_attr (wakeup every N samples) and no timed peek; samples read in
         * place, as libbpf's callback reads them.
         */
        WAKEUP_BATCH("ours wakeup=N", true),
        /**
         * The batched attributes through the blocking {@link io.reactorbpf.perf.PerfBuffer}, polled as libbpf's
         * consumer polls (timed waits of 50 ms); samples read in place.
         */
        POLL_BATCH("ours poll wakeup=N", true),
        /** The library's defaults (adaptive wakeups), samples decoded in place. */
        DECODE("ours decode", false);

        final String label;
        /** Whether the set-up has the batched libbpf variant's attributes, and so is compared with it. */
        final boolean batched;

        Mode(String label, boolean batched) {
            this.label = label;
            this.batched = batched;
        }

        /** The set-up labelled {@code label}, or null for none of ours. */
        static Mode labelled(String label) {
            for (Mode m : values()) {
                if (m.label.equals(label)) {
                    return m;
                }
            }
            return null;
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
            PollerThread.awaitGone(POLLER);
            PerfBufferOptions options = options(mode);
            Finish finish = new Finish(tally);
            PerfStream<?> stream = mode == Mode.POLL_BATCH ? null : stream(producer.events(), options, mode, tally, finish);
            BlockingPoller blocking = stream == null ? BlockingPoller.perf(producer.events(), options, tally) : null;
            Disposable subscription = blocking == null ? stream.subscribe(counting(tally)) : blocking::stop;
            try {
                long poller = PollerThread.named(POLLER);
                ThreadUsage start = ThreadUsage.of(poller);
                generator.go();
                double seconds = Runs.elapsedSeconds(generator.awaitResult());
                ThreadUsage end;
                if (mode == Mode.WAKEUP_BATCH) {
                    end = complete(stream, generator, producer, tally, finish, poller);
                } else {
                    if (blocking != null) {
                        blocking.drain();
                    }
                    settle(generator, producer, tally);
                    end = ThreadUsage.of(poller);
                }
                ThreadUsage used = end.minus(start);
                return new Result(mode.label, producer.produced(), tally.delivered(), tally.lost(), seconds,
                        used.cpuNanos(), tally.latency().quantile(0.50), tally.latency().quantile(0.99),
                        used.allocatedBytes());
            } finally {
                subscription.dispose();
            }
        }
    }

    private PerfBufferOptions options(Mode mode) {
        return switch (mode) {
            case DEFAULT, DECODE -> PerfBufferOptions.defaults();
            case WAKEUP_EACH -> PerfBufferOptions.libbpfDefaults();
            case WAKEUP_BATCH, POLL_BATCH -> PerfBufferOptions.builder().wakeup(Wakeup.events(batch))
                    .latencyBound(Duration.ZERO).build();
        };
    }

    /** The stream of a mode: events as elements for {@link Mode#DEFAULT}, else samples read in place. */
    private static PerfStream<?> stream(BpfMap map, PerfBufferOptions options, Mode mode, SampleTally tally,
                                        Finish finish) {
        if (mode != Mode.DEFAULT) {
            return PerfStream.<Object>decode(map, options, (cpu, data, offset, length) -> {
                tally.sample(data, offset);
                finish.check();
                return DECODED;
            }, (cpu, count) -> {
                tally.lost(count);
                finish.check();
                return null;
            });
        }
        return PerfStream.events(map, options);
    }

    /** Counts the events {@link Mode#DEFAULT} emits; the decoding modes counted in place and emit markers. */
    private static Consumer<Object> counting(SampleTally tally) {
        return element -> {
            if (element instanceof PerfEvent.Sample sample) {
                tally.sample(sample.data());
            } else if (element instanceof PerfEvent.Lost lost) {
                tally.lost(lost.count());
            }
        };
    }

    /**
     * Ends a batched stream's run: the last records below the wakeup threshold raise no wakeup, so the stream is
     * completed, which hands out what the rings hold (libbpf's consumer calls perf_buffer__consume). Returns the
     * poller's usage, read as it hands out the last of them, before it releases the rings.
     */
    private static ThreadUsage complete(PerfStream<?> stream, LoadGenerator generator, ProducerProgram producer,
                                        SampleTally tally, Finish finish, long poller) {
        quiesce(generator, tally);
        finish.expect(producer.produced(), poller);
        stream.complete();
        try {
            return finish.usage.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException(Mode.WAKEUP_BATCH.label + ": the stream handed out " + tally.delivered()
                    + " samples and " + tally.lost() + " lost, not all produced, within 10 s of complete()", e);
        }
    }

    /**
     * The end of a run that finishes by completing its stream: once every produced sample is delivered or
     * reported lost, the poller's usage, read on the poller thread as it hands out the last record (so the
     * release of the rings after it is not counted, as libbpf's consumer does not count perf_buffer__free).
     */
    private static final class Finish {
        private final SampleTally tally;
        private final CompletableFuture<ThreadUsage> usage = new CompletableFuture<>();
        private volatile long expected = Long.MAX_VALUE;

        Finish(SampleTally tally) {
            this.tally = tally;
        }

        /** Poller thread, after each record read in place: reads its usage once the expected count is reached. */
        void check() {
            long target = expected;
            // one load and a compare per record while the load runs
            if (target != Long.MAX_VALUE && tally.delivered() + tally.lost() >= target && !usage.isDone()) {
                usage.complete(ThreadUsage.current());
            }
        }

        /** Sets the count to reach; if the poller has reached it already, it is idle and read from here. */
        void expect(long produced, long poller) {
            expected = produced;
            if (tally.delivered() + tally.lost() >= produced) {
                usage.complete(ThreadUsage.of(poller));
            }
        }
    }

    /**
     * Waits until the poller has taken what the last wakeups announced (deliveries stop for 10 ms), then asks
     * the generator for one sample per CPU, before which the kernel writes any LOST record it still owes.
     */
    private static void quiesce(LoadGenerator generator, SampleTally tally) {
        long seen = -1;
        for (int round = 0; round < 100 && tally.delivered() + tally.lost() != seen; round++) {
            seen = tally.delivered() + tally.lost();
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        generator.flush();
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
}
