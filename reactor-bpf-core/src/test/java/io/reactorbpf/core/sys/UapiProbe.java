package io.reactorbpf.core.sys;

import org.junit.jupiter.api.Assertions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Compiles a C program against the installed Linux uapi headers with gcc, runs it and returns what it printed,
 * so tests can compare our constants and layouts with the kernel's own. Fails the calling test, with the
 * packages to install, when gcc or the headers are missing: the project's CI installs both.
 */
public final class UapiProbe {

    private static final String INSTALL = "install gcc and linux-libc-dev (apt-get install -y gcc linux-libc-dev)";
    private static final long TIMEOUT_SECONDS = 60;

    private UapiProbe() {
    }

    /** Compiles {@code source} in a fresh temporary directory, runs it and returns its standard output. */
    public static String run(String source) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("uapi-probe");
            Path c = dir.resolve("probe.c");
            Files.writeString(c, source);
            Path exe = dir.resolve("probe");
            Result compiled = exec(dir, "gcc", "-std=gnu11", "-Wall", "-o", exe.toString(), c.toString());
            if (compiled.code != 0) {
                String why = compiled.err.contains(".h: No such file") ? "a uapi header is missing: " + INSTALL
                        : "gcc could not compile the probe";
                Assertions.fail(why + "\n" + compiled.err + "\n--- probe.c ---\n" + source);
            }
            Result ran = exec(dir, exe.toString());
            if (ran.code != 0) {
                Assertions.fail("the probe exited with " + ran.code + ": " + ran.err);
            }
            return ran.out;
        } catch (IOException e) {
            return Assertions.fail("cannot compile and run a C probe (" + e.getMessage() + "): " + INSTALL, e);
        } finally {
            delete(dir);
        }
    }

    private record Result(int code, String out, String err) {
    }

    private static Result exec(Path dir, String... command) throws IOException {
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                Assertions.fail(command[0] + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Assertions.fail("interrupted while waiting for " + command[0], e);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary directory does not change the result
        }
    }
}
