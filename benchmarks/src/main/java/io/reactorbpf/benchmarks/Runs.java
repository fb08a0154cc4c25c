package io.reactorbpf.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code key=value} lines the C programs print. */
final class Runs {

    private Runs() {
    }

    static Map<String, String> fields(String line) {
        Map<String, String> fields = new HashMap<>();
        for (String token : line.trim().split("\\s+")) {
            int eq = token.indexOf('=');
            if (eq > 0) {
                fields.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return fields;
    }

    static long number(Map<String, String> fields, String key, String line) {
        String value = fields.get(key);
        if (value == null) {
            throw new IllegalStateException("no " + key + "= in '" + line + "'");
        }
        return Long.parseLong(value);
    }

    /** The load's duration from the generator's {@code calls=N elapsed_ns=T} line. */
    static double elapsedSeconds(String line) {
        return number(fields(line), "elapsed_ns", line) / 1e9;
    }

    /** Runs {@code command} (whose program is {@code binary}) to its end and returns the line it printed starting {@code result }. */
    static String resultLine(Path binary, List<String> command) {
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
        return output.lines().filter(l -> l.startsWith("result ")).findFirst()
                .orElseThrow(() -> new IllegalStateException(binary + " exited with " + status
                        + " and printed no result line: " + output));
    }
}
