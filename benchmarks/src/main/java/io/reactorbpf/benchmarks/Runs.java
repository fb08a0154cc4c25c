package io.reactorbpf.benchmarks;

import java.util.HashMap;
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
}
