package io.reactorbpf.examples;

import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tools with the library on the module path: {@code io.reactorbpf.core} and {@code io.reactorbpf.perf} (and the
 * named modules they require) resolved as modules, the tools' own code on the class path, so both javac and the
 * JVM hold the tools to the packages the library exports, as they hold any user.
 */
@KernelTest
class ModulePathTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    // the library (built classes or jars, not test classes) and the named modules its API needs
    private static final Pattern MODULES = Pattern.compile("reactor-bpf-(core|perf)/target/classes$"
            + "|reactor-bpf-(core|perf)-[^/]*(?<!-tests)\\.jar$|/(reactor-core|reactive-streams|jffi)-[^/]*\\.jar$"
            + "|/tools/jackson/.*\\.jar$|/jackson-annotations-[^/]*\\.jar$"
            + "|/(micrometer-(core|commons|observation)|HdrHistogram|LatencyUtils)-[^/]*\\.jar$");

    @Test
    void everyToolCompilesAgainstTheLibrarysModulesUsingOnlyWhatTheyExport(@TempDir Path out) throws IOException {
        Path[] sources;
        try (Stream<Path> files = Files.walk(ROOT.resolve("examples/src/main/java"))) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toArray(Path[]::new);
        }
        assertTrue(sources.length > 20, "the tools' sources are found: " + sources.length);
        String classPath = Stream.of(nonModuleClassPath().split(Pattern.quote(File.pathSeparator)))
                .filter(e -> !e.endsWith("examples/target/classes")).collect(Collectors.joining(File.pathSeparator));

        List<String> errors = InProcessJavac.errors(List.of("--module-path", modulePath(), "--add-modules",
                "ALL-MODULE-PATH", "-classpath", classPath, "-proc:none", "-d", out.toString()), sources);

        assertEquals(List.of(), errors, "the tools reach past the library's exports");
        assertTrue(Files.isRegularFile(out.resolve("io/reactorbpf/examples/Main.class")));
    }

    @Test
    void execsnoopStreamsExecsWithTheLibraryResolvedAsModules() throws Exception {
        String marker = "reactor-bpf-" + UUID.randomUUID();
        try (CommandProcess snoop = CommandProcess.startOnModulePath(modulePath(), nonModuleClassPath(),
                "execsnoop", "--json")) {
            String event = snoop.pokeUntil(() -> exec("/bin/true", marker), line -> line.contains(marker), TIMEOUT);

            assertTrue(event.startsWith("{"), event);
            assertResolvedAsModules(snoop.stdoutLines());
            snoop.interrupt();
            assertEquals(0, snoop.exitCode(TIMEOUT), String.join("\n", snoop.stderrLines()));
        }
    }

    @Test
    void runStreamsATypedRingBufferWithTheLibraryResolvedAsModules() throws Exception {
        String object = Path.of(ModulePathTest.class.getResource("/bpf/getpgid_ringbuf.bpf.o").getPath()).toString();
        try (CommandProcess run = CommandProcess.startOnModulePath(modulePath(), nonModuleClassPath(),
                "run", object, "--type", "ring_event", "--set", "target_pid=" + ProcessHandle.current().pid())) {
            String event = run.pokeUntil(() -> GetpgidSampler.trigger(1), line -> line.startsWith("{"), TIMEOUT);

            assertTrue(event.contains("\"seq\""), event);
            assertResolvedAsModules(run.stdoutLines());
            run.interrupt();
            assertEquals(0, run.exitCode(TIMEOUT), String.join("\n", run.stderrLines()));
        }
    }

    private static void assertResolvedAsModules(List<String> stdout) {
        for (String module : List.of("io.reactorbpf.core", "io.reactorbpf.perf")) {
            assertTrue(stdout.stream().anyMatch(l -> l.startsWith("root " + module + " ")),
                    module + " was not resolved as a module: " + stdout.stream().limit(5).toList());
        }
    }

    private static void exec(String... command) {
        try {
            new ProcessBuilder(command).start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> classPath() {
        return List.of(System.getProperty("java.class.path").split(Pattern.quote(File.pathSeparator)));
    }

    private static String modulePath() {
        String path = classPath().stream().filter(e -> MODULES.matcher(e).find())
                .collect(Collectors.joining(File.pathSeparator));
        assertFalse(path.isEmpty(), "the library is on the test class path");
        return path;
    }

    private static String nonModuleClassPath() {
        return classPath().stream().filter(e -> !MODULES.matcher(e).find())
                .collect(Collectors.joining(File.pathSeparator));
    }
}
