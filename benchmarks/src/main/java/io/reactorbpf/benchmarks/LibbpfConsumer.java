package io.reactorbpf.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
        String output;
        int status;
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            status = process.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + binary, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + binary + " ran", e);
        }
        String line = output.lines().filter(l -> l.startsWith("result ")).findFirst()
                .orElseThrow(() -> new IllegalStateException(binary + " exited with " + status
                        + " and printed no result line: " + output));
        Map<String, String> f = Runs.fields(line);
        return new Result(wakeupEvents <= 1 ? "libbpf default" : "libbpf wakeup=" + wakeupEvents,
                Runs.number(f, "produced", line), Runs.number(f, "delivered", line), Runs.number(f, "lost", line),
                Runs.number(f, "elapsed_ns", line) / 1e9, Runs.number(f, "cpu_ns", line),
                Runs.number(f, "p50_ns", line), Runs.number(f, "p99_ns", line), -1);
    }
}
