package io.reactorbpf.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The reference consumer: runs {@code libbpf_consumer} ({@code src/main/c/libbpf_consumer.c}, libbpf's
 * perf_buffer over {@code producer.bpf.o}) for one scenario and reads its result line.
 */
final class LibbpfConsumer {

    private final Path binary;
    private final Path object;
    private final Path loadgen;
    private final int pages;

    LibbpfConsumer(Path binary, Path object, Path loadgen, int pages) {
        this.binary = binary;
        this.object = object;
        this.loadgen = loadgen;
        this.pages = pages;
    }

    /** Runs with {@code wakeupEvents} 1 (perf_buffer__new, libbpf's default) or N (perf_buffer__new_raw). */
    Result run(Scenario load, int wakeupEvents) {
        List<String> command = List.of(binary.toString(), object.toString(), loadgen.toString(),
                Integer.toString(load.sampleSize()), Integer.toString(load.threads()), Long.toString(load.rate()),
                Double.toString(load.seconds()), Integer.toString(pages), Integer.toString(wakeupEvents));
        String line = Runs.resultLine(binary, command);
        Map<String, String> f = Runs.fields(line);
        return new Result(wakeupEvents <= 1 ? "libbpf default" : "libbpf wakeup=" + wakeupEvents,
                Runs.number(f, "produced", line), Runs.number(f, "delivered", line), Runs.number(f, "lost", line),
                Runs.number(f, "elapsed_ns", line) / 1e9, Runs.number(f, "cpu_ns", line),
                Runs.number(f, "p50_ns", line), Runs.number(f, "p99_ns", line), -1);
    }
}
