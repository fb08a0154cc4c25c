package io.reactorbpf.benchmarks;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.perf.RingBufOptions;
import io.reactorbpf.perf.RingBufStream;
import reactor.core.Disposable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Our ring buffer consumers over the producer's {@code events} RINGBUF, in one of four set-ups (stream or blocking
 * reader, our loader's loss counting on or off), measured on the reading thread ({@code ringbuf-events}): CPU
 * time and heap allocation through {@link ThreadUsage}, deliveries, reported losses and latency through a
 * {@link SampleTally}.
 */
final class RingBufConsumer {

    /** How a run reads the ring. */
    enum Mode {
        /** {@link RingBufStream} with its defaults, samples decoded in place, losses counted by our loader. */
        STREAM("ours stream", false, true),
        /** The same stream over the program loaded without loss counting. */
        STREAM_UNCOUNTED("ours stream uncounted", false, false),
        /** The blocking {@link io.reactorbpf.perf.RingBuffer}, polled as libbpf's consumer polls, losses counted. */
        POLL("ours poll", true, true),
        /** The same blocking reader over the program loaded without loss counting. */
        POLL_UNCOUNTED("ours poll uncounted", true, false);

        final String label;
        final boolean blocking;
        /** Whether our loader adds its loss count to the program (ObjectSpec.countRingBufLosses). */
        final boolean counted;

        Mode(String label, boolean blocking, boolean counted) {
            this.label = label;
            this.blocking = blocking;
            this.counted = counted;
        }

        /** The same reader with loss counting off: what {@code this} is compared with for the cost of counting. */
        Mode uncounted() {
            return this == STREAM ? STREAM_UNCOUNTED : this == POLL ? POLL_UNCOUNTED : this;
        }
    }

    private static final String POLLER = "ringbuf-events";
    /** Marks a decoded element: the decoder keeps nothing, so the stream carries no per-sample object. */
    private static final Object DECODED = new Object();
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private final Path loadgen;
    private final Path object;

    RingBufConsumer(Path loadgen, Path object) {
        this.loadgen = loadgen;
        this.object = object;
    }

    RingBufResult run(RingBufLoad ring, Mode mode) {
        Scenario load = ring.load();
        try (LoadGenerator generator = LoadGenerator.start(loadgen, load);
             RingBufProducer producer = RingBufProducer.attach(object, (int) generator.pid(), load.sampleSize(),
                     ring.ringBytes(), mode.counted)) {
            SampleTally tally = new SampleTally();
            PollerThread.awaitGone(POLLER);
            BlockingPoller blocking = mode.blocking ? BlockingPoller.ringBuf(producer.events(), tally) : null;
            Disposable reading = blocking != null ? blocking::stop : stream(producer.events(), tally).subscribe(e -> { });
            try {
                long poller = PollerThread.named(POLLER);
                ThreadUsage start = ThreadUsage.of(poller);
                ProgramRunTime programStart = ProgramRunTime.of(producer.program());
                generator.go();
                double seconds = Runs.elapsedSeconds(generator.awaitResult());
                if (blocking != null) {
                    blocking.drain();
                }
                settle(producer, tally, mode.counted);
                ThreadUsage used = ThreadUsage.of(poller).minus(start);
                ProgramRunTime program = ProgramRunTime.of(producer.program()).minus(programStart);
                return new RingBufResult(new Result(mode.label, producer.produced(), tally.delivered(),
                        producer.failed(), seconds, used.cpuNanos(), tally.latency().quantile(0.50),
                        tally.latency().quantile(0.99), used.allocatedBytes()), tally.lost(), mode.counted, program);
            } finally {
                reading.dispose();
            }
        }
    }

    /** Our stream with its defaults, counting each sample in place and each reported loss. */
    private static RingBufStream<Object> stream(BpfMap map, SampleTally tally) {
        return RingBufStream.decode(map, RingBufOptions.defaults(), (cpu, data, offset, length) -> {
            tally.sample(data, offset);
            return DECODED;
        }, (cpu, count) -> {
            tally.lost(count);
            return null;
        });
    }

    /**
     * Waits (up to 2 s) until every sample the program tried to write was delivered or failed and, where our loader
     * counts, the reader has reported every failure. The generator's threads have ended, so no program runs; a ring
     * buffer holds nothing back from its reader, whose last pass reports the losses before it.
     */
    private static void settle(RingBufProducer producer, SampleTally tally, boolean counted) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            long failed = producer.failed();
            if (tally.delivered() + failed >= producer.produced() && (!counted || tally.lost() >= failed)) {
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }
}
