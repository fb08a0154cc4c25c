package io.reactorbpf.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The reference ring buffer consumer: runs {@code libbpf_ringbuf_consumer} ({@code src/main/c/libbpf_ringbuf_consumer.c},
 * libbpf's ring_buffer over {@code producer_ringbuf.bpf.o}) for one load and reads its result line. libbpf reports
 * no losses for ring buffers, so only the program's own failed count says what did not fit.
 */
final class LibbpfRingBufConsumer {

    static final String LABEL = "libbpf ring_buffer";

    private final Path binary;
    private final Path object;
    private final Path loadgen;

    LibbpfRingBufConsumer(Path binary, Path object, Path loadgen) {
        this.binary = binary;
        this.object = object;
        this.loadgen = loadgen;
    }

    RingBufResult run(RingBufLoad ring) {
        Scenario load = ring.load();
        List<String> command = List.of(binary.toString(), object.toString(), loadgen.toString(),
                Integer.toString(load.sampleSize()), Integer.toString(load.threads()), Long.toString(load.rate()),
                Double.toString(load.seconds()), Integer.toString(ring.ringBytes()));
        String line = Runs.resultLine(binary, command);
        Map<String, String> f = Runs.fields(line);
        return new RingBufResult(new Result(LABEL, Runs.number(f, "produced", line), Runs.number(f, "delivered", line),
                Runs.number(f, "failed", line), Runs.number(f, "elapsed_ns", line) / 1e9, Runs.number(f, "cpu_ns", line),
                Runs.number(f, "p50_ns", line), Runs.number(f, "p99_ns", line), -1), -1, false,
                new ProgramRunTime(Runs.number(f, "prog_runs", line), Runs.number(f, "prog_ns", line)));
    }
}
