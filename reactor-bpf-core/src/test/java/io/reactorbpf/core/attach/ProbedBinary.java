package io.reactorbpf.core.attach;

import io.reactorbpf.core.testing.KernelTests;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tiny C program compiled with gcc at test time: it reads a count N from stdin, calls the noinline
 * function {@value #FUNCTION} N times, prints nothing and exits 0. Reading N first lets a test attach to
 * the running process before the calls happen.
 */
public final class ProbedBinary {

    /** The function the program calls N times. */
    public static final String FUNCTION = "reactor_bpf_probed";

    private static final String SOURCE = """
            #include <stdio.h>

            __attribute__((noipa)) int reactor_bpf_probed(int x) {
                return x + 1;
            }

            int main(void) {
                int n = 0;
                if (scanf("%d", &n) != 1) {
                    return 2;
                }
                int s = 0;
                for (int i = 0; i < n; i++) {
                    s = reactor_bpf_probed(s);
                }
                return s == n ? 0 : 1;
            }
            """;

    /**
     * A program with the USDT probe {@code reactor_bpf:tick} (SystemTap's sys/sdt.h) at two sites, guarded by its
     * semaphore, with arguments in the three forms: it reads N, calls the first site N times with (i, -7, -i),
     * then the second N times with (i * 1000, 42, -i), each only while the semaphore is set.
     */
    private static final String USDT_SOURCE = """
            #define _SDT_HAS_SEMAPHORES 1
            #include <stdio.h>
            #include <sys/sdt.h>

            __attribute__((section(".probes"), used)) volatile unsigned short reactor_bpf_tick_semaphore = 0;

            int main(void) {
                int n = 0;
                if (scanf("%d", &n) != 1) {
                    return 2;
                }
                volatile int mem[2] = {0, 0};
                for (int i = 0; i < n; i++) {
                    mem[1] = -i;
                    if (reactor_bpf_tick_semaphore) {
                        STAP_PROBE3(reactor_bpf, tick, i, (short) -7, mem[1]);
                    }
                }
                for (long i = 0; i < n; i++) {
                    if (reactor_bpf_tick_semaphore) {
                        STAP_PROBE3(reactor_bpf, tick, i * 1000, 42, (char) -i);
                    }
                }
                return 0;
            }
            """;
    private static final Duration TOOL_LIMIT = Duration.ofSeconds(60);

    private ProbedBinary() {
    }

    /** Compiles the program into {@code dir} (gcc -O1 -g, position-independent or not); skips without gcc. */
    public static Path compile(Path dir, boolean pie) {
        return pie ? compile(dir, "probed-pie", "-pie", "-fPIE") : compile(dir, "probed", "-no-pie", "-fno-PIE");
    }

    /** Compiles a position-independent executable that exports its functions in .dynsym (gcc -rdynamic). */
    public static Path compileExported(Path dir) {
        return compile(dir, "probed-exported", "-pie", "-fPIE", "-rdynamic");
    }

    private static Path compile(Path dir, String name, String... flags) {
        return compileSource(dir, name, SOURCE, flags);
    }

    /** Compiles the USDT program ({@code reactor_bpf:tick}) into {@code dir}/{@code name} with {@code flags}. */
    public static Path compileUsdt(Path dir, String name, String... flags) {
        return compileSource(dir, name, USDT_SOURCE, flags);
    }

    /** Compiles C {@code text} into {@code dir}/{@code name} with gcc -O1 -g and {@code flags}; skips without gcc. */
    public static Path compileSource(Path dir, String name, String text, String... flags) {
        Path source = dir.resolve(name + ".c");
        Path binary = dir.resolve(name);
        List<String> command = new ArrayList<>(List.of("gcc", "-O1", "-g"));
        command.addAll(List.of(flags));
        command.addAll(List.of("-o", binary.toString(), source.toString()));
        try {
            Files.writeString(source, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tool(command.toArray(String[]::new));
        return binary;
    }

    /**
     * Runs a build tool (gcc, objdump, strip) to completion and returns its output; skips the test when the
     * tool is not installed, fails it when the tool fails or runs for more than a minute.
     */
    public static String tool(String... command) {
        return tool(TOOL_LIMIT, command);
    }

    /**
     * Runs a build tool with its output (stdout and stderr) going to a file, so that waiting for it can time
     * out; a tool still running after {@code limit} is killed with what it started, and the test fails.
     */
    static String tool(Duration limit, String... command) {
        Path output = toolOutputFile(command[0]);
        try {
            Process p;
            try {
                p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            } catch (IOException e) {
                KernelTests.require(false, command[0] + " cannot run: " + e.getMessage());
                throw new UncheckedIOException(e);
            }
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(command[0] + " did not finish within " + limit + ", killed: "
                        + String.join(" ", command) + "\n" + read(output));
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed with exit status " + p.exitValue()
                        + ":\n" + read(output));
            }
            return read(output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            try {
                Files.deleteIfExists(output);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static Path toolOutputFile(String tool) {
        try {
            return Files.createTempFile("reactor-bpf-" + Path.of(tool).getFileName(), ".out");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path output) {
        try {
            return new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code binary}; it waits for its count on stdin. */
    public static Process start(Path binary) {
        try {
            return new ProcessBuilder(binary.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Tells a started process to make {@code calls} calls and waits for it to exit successfully. */
    public static void finish(Process process, int calls) {
        try (OutputStream in = process.getOutputStream()) {
            in.write((calls + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the probed program did not exit within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("the probed program exited with " + process.exitValue());
        }
    }

    /** Runs {@code binary} to make {@code calls} calls. */
    public static void run(Path binary, int calls) {
        finish(start(binary), calls);
    }
}
