package io.reactorbpf.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code loadgen} process ({@code src/main/c/loadgen.c}), started parked so the producer can be pointed at
 * its pid before it makes a single call. Speaks its stdin/stdout protocol: go, result line, flush, quit.
 * Owned and driven by one thread.
 */
final class LoadGenerator implements AutoCloseable {

    private final Process process;
    private final OutputStream commands;
    private final BufferedReader replies;

    private LoadGenerator(Process process) {
        this.process = process;
        this.commands = process.getOutputStream();
        this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    }

    /** Starts the generator for {@code load} and waits until its threads are parked. */
    static LoadGenerator start(Path binary, Scenario load) {
        List<String> command = List.of(binary.toString(), Integer.toString(load.threads()),
                Long.toString(load.rate()), Double.toString(load.seconds()));
        try {
            LoadGenerator generator = new LoadGenerator(new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start());
            generator.expect("ready");
            return generator;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the load generator " + binary, e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** Starts the calls. */
    void go() {
        send('g');
    }

    /** Waits for the run to end and returns its result line ({@code calls=N elapsed_ns=T}). */
    String awaitResult() {
        return expect("calls=");
    }

    /** Makes one call on every online CPU, so each ring gets a sample before which the kernel writes pending LOST records. */
    void flush() {
        send('f');
        expect("flushed");
    }

    private void send(char command) {
        try {
            commands.write(command);
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the load generator stopped reading commands", e);
        }
    }

    private String expect(String prefix) {
        try {
            String line = replies.readLine();
            if (line == null || !line.startsWith(prefix)) {
                throw new IllegalStateException("the load generator said '" + line + "' where '" + prefix + "' was expected");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException("the load generator stopped answering", e);
        }
    }

    @Override
    public void close() {
        try {
            send('q');
            commands.close();
            process.waitFor();
        } catch (UncheckedIOException | IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
        }
    }
}
