package io.reactorbpf.examples.run;

import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.examples.CommandProcess;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.reactorbpf.examples.run.RunCommandTest.SUMMARY;
import static io.reactorbpf.examples.run.RunCommandTest.TIMEOUT;
import static io.reactorbpf.examples.run.RunCommandTest.assertFailsWith;
import static io.reactorbpf.examples.run.RunCommandTest.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run} making the choices a libbpf tool makes before load, as a real child process: tool_choices, which
 * leaves a hash unsized and has a program on a tracepoint x86_64 lacks, and Debian's gethostlatency, whose kprobe
 * sections its tool attaches as uprobes on libc.
 */
@KernelTest
class RunChoicesTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String NOT_LOADED = "run: not loaded: program 'on_sync_file_range2' in section"
            + " 'tracepoint/syscalls/sys_enter_sync_file_range2': its autoload is off (--no-autoload)";

    private static String ownPid() {
        return Long.toString(ProcessHandle.current().pid());
    }

    @Test
    void aMapTheObjectLeavesUnsizedIsOneLineNamingTheOptionThatSizesIt() throws Exception {
        assertFailsWith(List.of("run", object("tool_choices.bpf.o")), "run: map 'seen' has max_entries 0: the object"
                + " leaves it for its tool to set; give it with --max-entries seen=N");
    }

    @Test
    void aProgramOnATracepointTheKernelLacksFailsTheRunWhileItIsLoaded() throws Exception {
        assertFailsWith(List.of("run", object("tool_choices.bpf.o"), "--max-entries", "seen=16"),
                "program 'on_sync_file_range2' in section 'tracepoint/syscalls/sys_enter_sync_file_range2': tracepoint"
                        + " syscalls:sys_enter_sync_file_range2 does not exist on this kernel");
    }

    @Test
    void withItsAutoloadOffTheOtherProgramStreamsAndTheLeftOutOneIsNamed() throws Exception {
        try (CommandProcess run = CommandProcess.start("run", object("tool_choices.bpf.o"), "--max-entries", "seen=16",
                "--no-autoload", "on_sync_file_range2", "--set", "target_pid=" + ownPid())) {
            run.pokeUntil(() -> GetpgidSampler.trigger(1), line -> line.startsWith("{"), TIMEOUT);
            run.interrupt();
            assertEquals(0, run.exitCode(TIMEOUT));
            List<String> err = run.stderrLines();
            assertEquals(NOT_LOADED, err.get(0), err.toString());
            assertTrue(err.get(err.size() - 1).matches(SUMMARY), err.toString());
        }
    }

    @Test
    void withBtfTheObjectIsRelocatedAgainstThatFileAndStreams(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path btf = Files.copy(Path.of("/sys/kernel/btf/vmlinux"), dir.resolve("vmlinux.btf"));
        try (CommandProcess run = CommandProcess.start("run", "src/main/resources/bpf/execsnoop.bpf.o", "--btf",
                btf.toString(), "--type", "exec_event")) {
            run.pokeUntil(RunChoicesTest::execTrue, line -> line.contains("\"args\":\"/bin/true\""), TIMEOUT);
            run.interrupt();
            assertEquals(0, run.exitCode(TIMEOUT), run.stderrLines().toString());
        }
    }

    @Test
    void aBtfFileThatIsNotThereIsOneLineNamingIt() throws Exception {
        assertFailsWith(List.of("run", object("getpgid_probe.bpf.o"), "--btf", "/nonexistent/vmlinux.btf"),
                "run: no BTF at /nonexistent/vmlinux.btf");
    }

    @Test
    void withKconfigTheObjectLoadsWithThoseValuesAndStreams(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path config = Files.writeString(dir.resolve("config"), "# CONFIG_KPROBES is not set\nCONFIG_HZ=250\n");
        try (CommandProcess run = CommandProcess.start("run", "src/main/resources/bpf/execsnoop.bpf.o", "--kconfig",
                config.toString(), "--type", "exec_event")) {
            run.pokeUntil(RunChoicesTest::execTrue, line -> line.contains("\"args\":\"/bin/true\""), TIMEOUT);
            run.interrupt();
            assertEquals(0, run.exitCode(TIMEOUT), run.stderrLines().toString());
        }
    }

    @Test
    void aKconfigFileThatIsNotThereOrHoldsNoConfigurationIsOneLineNamingIt(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        assertFailsWith(List.of("run", object("getpgid_probe.bpf.o"), "--kconfig", "/nonexistent/config"),
                "run: no kernel configuration at /nonexistent/config");
        Path config = Files.writeString(dir.resolve("config"), "CONFIG_HZ=250\nHZ 250\n");
        assertFailsWith(List.of("run", object("getpgid_probe.bpf.o"), "--kconfig", config.toString()),
                "run: kconfig line 2 'HZ 250' is not CONFIG_NAME=value or '# CONFIG_NAME is not set', as in"
                        + " /boot/config-RELEASE");
    }

    @Test
    void aPerfEventProgramAttachedToCpuClockSamplesEveryCpu() throws Exception {
        try (CommandProcess run = CommandProcess.start("run", object("cpu_samples.bpf.o"), "--attach",
                "count_sample=perf_event:cpu-clock@199", "--json", "--cumulative")) {
            long busyUntil = System.nanoTime() + TIMEOUT.toNanos();
            String line = null;
            // the cpu-clock samples while a CPU runs something: keep this one busy until a snapshot counts some
            while (System.nanoTime() < busyUntil && (line == null || line.matches(".*\\[0(,0)*\\].*"))) {
                String next = run.nextLine(java.time.Duration.ofMillis(10));
                line = next != null ? next : line;
            }
            assertTrue(line != null && line.contains("\"map\":\"samples\"") && line.matches(".*[1-9].*"),
                    "no sample counted: " + line + " " + run.stderrLines());
            run.interrupt();
            assertEquals(0, run.exitCode(TIMEOUT), run.stderrLines().toString());
        }
    }

    @Test
    void aPerfEventTargetThatIsNoEventIsOneLineNamingTheForm() throws Exception {
        assertFailsWith(List.of("run", object("cpu_samples.bpf.o"), "--attach", "count_sample=perf_event:cpu-clock"),
                "perf_event target 'cpu-clock' is not EVENT@HZ or EVENT/PERIOD");
    }

    private static void execTrue() {
        try {
            new ProcessBuilder("/bin/true").start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void maxEntriesIsTheMaxEntriesOfTheMapTheRunCreated() throws Exception {
        try (CommandProcess run = CommandProcess.start("run", object("tool_choices.bpf.o"), "--max-entries", "seen=37",
                "--no-autoload", "on_sync_file_range2", "--set", "target_pid=" + ownPid())) {
            run.pokeUntil(() -> GetpgidSampler.trigger(1), line -> line.startsWith("{"), TIMEOUT);
            List<Map<String, String>> hashes = bpfMaps(run.pid()).stream()
                    .filter(m -> m.get("map_type").equals("1") && m.get("value_size").equals("24")).toList();
            assertEquals(1, hashes.size(), hashes.toString());
            assertEquals("37", hashes.get(0).get("max_entries"));
            run.interrupt();
            assertEquals(0, run.exitCode(TIMEOUT));
        }
    }

    @Test
    void attachPutsGethostlatencysKprobeProgramsOnLibcsGetaddrinfoAndItsEventsStream() throws Exception {
        Process resolver = resolver();
        try (CommandProcess run = CommandProcess.start("run", object("thirdparty/gethostlatency.bpf.o"), "--type", "event",
                "--set", "target_pid=" + resolver.pid(),
                "--attach", "handle_entry=uprobe:libc.so.6:getaddrinfo",
                "--attach", "handle_return=uretprobe:libc.so.6:getaddrinfo")) {
            JsonNode event = JSON.readTree(run.pokeUntil(() -> resolve(resolver, "localhost"),
                    line -> line.startsWith("{"), TIMEOUT));
            assertEquals(resolver.pid(), event.get("pid").asLong());
            assertEquals("localhost", event.get("host").asString());
            assertEquals("python3", event.get("comm").asString());
            run.interrupt();
            assertEquals(0, run.exitCode(TIMEOUT));
            List<String> err = run.stderrLines();
            assertEquals(1, err.size(), "both programs attached, nothing reported: " + err);
            assertTrue(err.get(0).matches(SUMMARY), err.toString());
        } finally {
            resolver.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A python3 that calls libc's getaddrinfo for each host name it reads on stdin. */
    private static Process resolver() throws IOException {
        return new ProcessBuilder("/usr/bin/python3", "-c", "import socket, sys\n"
                + "for line in sys.stdin:\n"
                + "    socket.getaddrinfo(line.strip(), 80)\n")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static void resolve(Process resolver, String host) {
        try {
            OutputStream in = resolver.getOutputStream();
            in.write((host + "\n").getBytes(StandardCharsets.US_ASCII));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The kernel's description (/proc/PID/fdinfo) of every BPF map process {@code pid} holds open. */
    private static List<Map<String, String>> bpfMaps(long pid) throws IOException {
        List<Map<String, String>> maps = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    if (!Files.readSymbolicLink(fd).toString().equals("anon_inode:bpf-map")) {
                        continue;
                    }
                    Map<String, String> fields = new HashMap<>();
                    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/fdinfo/" + fd.getFileName()))) {
                        int colon = line.indexOf(':');
                        if (colon > 0) {
                            fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
                        }
                    }
                    maps.add(fields);
                } catch (NoSuchFileException closed) {
                    // a descriptor closed while the list was read
                }
            }
        }
        return maps;
    }
}
