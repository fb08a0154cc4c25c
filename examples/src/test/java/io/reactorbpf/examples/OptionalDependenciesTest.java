package io.reactorbpf.examples;

import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optional dependencies stay optional: the loader opens, loads, attaches and reads a map with no Jackson on
 * the class path, and the blocking perf API streams samples with neither Reactor nor Jackson there. Each runs as a
 * child JVM whose class path holds only the library and jffi, as a user's who left the others out.
 */
@KernelTest
class OptionalDependenciesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern JACKSON = Pattern.compile("/jackson-[a-z]+-[^/]*\\.jar$");
    private static final Pattern REACTOR = Pattern.compile("/(reactor-core|reactive-streams)-[^/]*\\.jar$");
    private static final Pattern LIBRARY = Pattern.compile("reactor-bpf-(core|perf)/target/classes$"
            + "|reactor-bpf-(core|perf)-[^/]*(?<!-tests)\\.jar$|/jffi-[^/]*\\.jar$");

    @Test
    void theLoaderLoadsAttachesAndReadsMapsWithoutJackson(@TempDir Path work) throws Exception {
        String classPath = classPath(work, "LoaderOnly", """
                import io.reactorbpf.core.object.*;
                import java.nio.file.Path;
                public class LoaderOnly {
                    public static void main(String[] args) throws Exception {
                        ObjectSpec spec = BpfObject.open(Path.of("examples/src/main/resources/bpf/execsnoop.bpf.o"));
                        try (BpfObject o = spec.load()) {
                            o.attachAll();
                            System.out.println("loaded " + o.maps().size() + " maps, "
                                    + o.map("events").maxEntries() + " event slots");
                        }
                    }
                }
                """, JACKSON, REACTOR);
        String printed = run(work, classPath, "LoaderOnly");
        assertTrue(printed.matches("(?s)loaded \\d+ maps, \\d+ event slots\\s*"), printed);
    }

    @Test
    void theBlockingPerfApiStreamsWithoutReactorOrJackson(@TempDir Path work) throws Exception {
        String classPath = classPath(work, "BlockingOnly", """
                import io.reactorbpf.core.object.*;
                import io.reactorbpf.perf.*;
                import java.nio.ByteBuffer;
                import java.nio.file.Path;
                public class BlockingOnly {
                    public static void main(String[] args) throws Exception {
                        ObjectSpec spec = BpfObject.open(Path.of("examples/src/main/resources/bpf/execsnoop.bpf.o"));
                        long[] samples = new long[1];
                        try (BpfObject o = spec.load()) {
                            o.attachAll();
                            try (PerfBuffer buffer = PerfBuffer.open(o.map("events"), PerfBufferOptions.defaults(),
                                    new RecordHandler() {
                                        public void onSample(int cpu, ByteBuffer data, int offset, int length) {
                                            samples[0]++;
                                        }
                                        public void onLost(int cpu, long lost) {
                                        }
                                    })) {
                                for (int i = 0; i < 3; i++) {
                                    new ProcessBuilder("/bin/true").start().waitFor();
                                }
                                long deadline = System.nanoTime() + 10_000_000_000L;
                                while (samples[0] < 3 && System.nanoTime() < deadline) {
                                    buffer.poll(100);
                                }
                            }
                        }
                        System.out.println("samples " + samples[0]);
                    }
                }
                """, JACKSON, REACTOR);
        String printed = run(work, classPath, "BlockingOnly");
        assertTrue(printed.matches("(?s)samples [3-9]\\d*\\s*"), printed);
    }

    /** Compiles {@code source} against the library alone and returns the class path to run it with. */
    private static String classPath(Path work, String name, String source, Pattern... left) throws Exception {
        List<String> entries = Pattern.compile(Pattern.quote(File.pathSeparator))
                .splitAsStream(System.getProperty("java.class.path"))
                .filter(e -> LIBRARY.matcher(e).find()).toList();
        for (Pattern p : left) {
            assertFalse(entries.stream().anyMatch(e -> p.matcher(e).find()), entries.toString());
        }
        String classPath = work + File.pathSeparator + String.join(File.pathSeparator, entries);
        Path file = work.resolve(name + ".java");
        Files.writeString(file, source);
        List<String> errors = InProcessJavac.errors(List.of("-classpath", classPath, "-d", work.toString()), file);
        assertTrue(errors.isEmpty(), String.join("\n", errors));
        return classPath;
    }

    private static String run(Path work, String classPath, String main) throws Exception {
        Path out = work.resolve(main + ".out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, main).directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(out.toFile())
                .start();
        try {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), main + " still runs after 60 s");
        } finally {
            p.destroyForcibly();
        }
        String printed = Files.readString(out);
        assertEquals(0, p.exitValue(), printed);
        return printed;
    }
}
