package io.reactorbpf.examples.run;

import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.examples.CommandProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.reactorbpf.examples.run.RunCommandTest.SUMMARY;
import static io.reactorbpf.examples.run.RunCommandTest.TIMEOUT;
import static io.reactorbpf.examples.run.RunCommandTest.assertFailsWith;
import static io.reactorbpf.examples.run.RunCommandTest.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run} attaching USDT programs, as a real child process: Debian's javagc, unmodified, on the HotSpot probes
 * of the JVM that runs the tests (its libjvm.so), timing the collections of a child JVM that collects on demand.
 */
@KernelTest
class RunUsdtTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Path LIBJVM = Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so");

    @Test
    void javagcTimesTheCollectionsOfAJvmThroughItsHotspotProbes(@TempDir Path dir) throws Exception {
        Process jvm = collector(dir);
        try (CommandProcess run = CommandProcess.start("run", object("thirdparty/javagc.bpf.o"), "--type", "data_t",
                "--no-autoload", "handle_mem_pool_gc_start", "--no-autoload", "handle_mem_pool_gc_end",
                "--attach", "handle_gc_start=usdt:" + LIBJVM + ":hotspot:gc__begin",
                "--attach", "handle_gc_end=usdt:" + LIBJVM + ":hotspot:gc__end")) {
            String pid = "\"pid\":" + jvm.pid() + ",";
            String line = run.pokeUntil(() -> collect(jvm), l -> l.contains(pid), TIMEOUT);
            JsonNode event = JSON.readTree(line);
            assertEquals(jvm.pid(), event.get("pid").asLong());
            assertEquals(line.indexOf("\"cpu\":"), line.lastIndexOf("\"cpu\":"), "data_t's own cpu, once: " + line);
            assertEquals(event.get("cpu").asInt(), event.get("ring_cpu").asInt(), "the ring's CPU beside it: " + line);
            long nanos = event.get("ts").asLong();
            assertTrue(nanos > 0 && nanos < 10_000_000_000L, "a collection's duration in ns: " + event);
            run.interrupt();
            assertEquals(0, run.exitCode(TIMEOUT));
            List<String> err = run.stderrLines();
            assertEquals(3, err.size(), "the two programs left out are named, then the summary: " + err);
            assertTrue(err.get(2).matches(SUMMARY), err.toString());
        } finally {
            jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withPidOnlyThatJvmsCollectionsAreTimed(@TempDir Path dir) throws Exception {
        Process jvm = collector(dir);
        Process other = collector(dir);
        try (CommandProcess run = CommandProcess.start("run", object("thirdparty/javagc.bpf.o"), "--type", "data_t",
                "--no-autoload", "handle_mem_pool_gc_start", "--no-autoload", "handle_mem_pool_gc_end",
                "--attach", "handle_gc_start=usdt:" + LIBJVM + ":hotspot:gc__begin",
                "--attach", "handle_gc_end=usdt:" + LIBJVM + ":hotspot:gc__end", "--pid", Long.toString(jvm.pid()))) {
            for (int i = 0; i < 3; i++) {
                String line = run.pokeUntil(() -> {
                    collect(other);
                    collect(jvm);
                }, l -> l.startsWith("{"), TIMEOUT);
                assertEquals(jvm.pid(), JSON.readTree(line).get("pid").asLong(), line);
            }
            run.interrupt();
            assertEquals(0, run.exitCode(TIMEOUT));
        } finally {
            jvm.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aProbeTheBinaryLacksIsOneLineNamingWhatItHas() throws Exception {
        assertFailsWith(List.of("run", object("thirdparty/javagc.bpf.o"),
                "--no-autoload", "handle_mem_pool_gc_start", "--no-autoload", "handle_mem_pool_gc_end",
                "--no-autoload", "handle_gc_end", "--attach", "handle_gc_start=usdt:" + LIBJVM + ":hotspot:gc__start"),
                "run: program 'handle_gc_start' in section 'usdt': no USDT probe hotspot:gc__start in " + LIBJVM
                        + " (provider hotspot has: ");
    }

    /** A JVM (this one's java) that runs System.gc() for each line it reads on stdin. */
    private static Process collector(Path dir) throws IOException {
        Path source = Files.writeString(dir.resolve("Collect.java"), """
                public class Collect {
                    public static void main(String[] args) throws Exception {
                        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
                        while (in.readLine() != null) {
                            System.gc();
                        }
                    }
                }
                """);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-XX:+UseSerialGC", source.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void collect(Process jvm) {
        try {
            OutputStream in = jvm.getOutputStream();
            in.write("gc\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
