package io.reactorbpf.examples.run;

import io.reactorbpf.core.internal.sys.Native;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.examples.CommandProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run} as a real child process on the committed getpgid_probe object: the probe sends one
 * {@code struct probe_event} per getpgid() of the process its {@code target_pid} names, which here is this
 * test's JVM, set with {@code --set}.
 */
@KernelTest
class RunCommandTest {

    static final Duration TIMEOUT = Duration.ofSeconds(15);
    static final String SUMMARY = "delivered=\\d+ lost=\\d+ seconds=\\d+\\.\\d rate=\\d+\\.\\d/s";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    static String object(String name) {
        try {
            return Path.of(RunCommandTest.class.getResource("/bpf/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String ownPid() {
        return Long.toString(ProcessHandle.current().pid());
    }

    private static String threadComm() throws java.io.IOException {
        return Files.readString(Path.of("/proc/thread-self/comm")).strip();
    }

    private static Runnable getpgid() {
        return () -> GetpgidSampler.trigger(1);
    }

    @Test
    void typedSamplesAreTheStructsMembersPlusCpuAndCtrlCEndsWithTheSummary() throws Exception {
        try (CommandProcess run = CommandProcess.start("run", object("getpgid_probe.bpf.o"), "--type", "probe_event",
                "--set", "target_pid=" + ownPid(), "--set", "tag=probe", "--set", "flagged=true")) {
            JsonNode event = JSON.readTree(run.pokeUntil(getpgid(), line -> line.startsWith("{"), TIMEOUT));

            assertEquals(Set.of("cpu", "pid", "seq", "comm", "tag", "kind"), names(event));
            assertEquals(Native.getpid(), event.get("pid").asInt());
            assertEquals(threadComm(), event.get("comm").asString());
            assertEquals("probe", event.get("tag").asString());
            assertEquals("PROBE_FLAGGED", event.get("kind").asString());
            assertTrue(event.get("cpu").isInt() && event.get("seq").isInt());

            run.interrupt();
            assertEquals(0, run.exitCode(TIMEOUT));
            List<String> err = run.stderrLines();
            assertTrue(err.get(err.size() - 1).matches(SUMMARY), err.toString());
        }
    }

    @Test
    void withoutTypeSamplesAreSizeAndHexOfTheRawBytes() throws Exception {
        try (CommandProcess run = CommandProcess.start("run", object("getpgid_probe.bpf.o"),
                "--set", "target_pid=" + ownPid())) {
            JsonNode event = JSON.readTree(run.pokeUntil(getpgid(), line -> line.startsWith("{"), TIMEOUT));

            assertEquals(Set.of("cpu", "size", "data"), names(event));
            byte[] data = HexFormat.of().parseHex(event.get("data").asString());
            assertEquals(36, event.get("size").asInt());
            assertEquals(36, data.length);
            ByteBuffer sample = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(Native.getpid(), sample.getInt(0));
            assertEquals("none", new String(data, 24, 4, java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(0, sample.getInt(32), "kind PROBE_PLAIN by default");
        }
    }

    @Test
    void aTypeTheBtfLacksIsOneLineBeforeAnythingIsLoaded() throws Exception {
        // unchecked_lookup fails the verifier: failing on --type instead shows the check comes before load
        assertFailsWith(List.of("run", object("unchecked_lookup.bpf.o"), "--type", "no_such_event", "--quiet"),
                "run: --type no_such_event: BTF has no struct or union named 'no_such_event'; leave --type out to"
                        + " print samples as hex");
    }

    @Test
    void durationEndsTheRunAndQuietPrintsOnlyTheSummary() throws Exception {
        try (CommandProcess run = CommandProcess.start("run", object("getpgid_probe.bpf.o"), "--quiet",
                "--duration", "2", "--set", "target_pid=" + ownPid())) {
            while (run.isAlive()) {
                GetpgidSampler.trigger(1);
                Thread.onSpinWait();
            }
            assertEquals(0, run.exitCode(TIMEOUT));
            assertEquals(List.of(), run.stdoutLines());
            List<String> err = run.stderrLines();
            assertEquals(1, err.size(), err.toString());
            assertTrue(err.get(0).matches(SUMMARY), err.get(0));
            long delivered = Long.parseLong(err.get(0).replaceAll("^delivered=(\\d+) .*", "$1"));
            assertTrue(delivered > 0, err.get(0));
        }
    }

    @Test
    void anIdleRunDoesNotWakeEveryMillisecond() throws Exception {
        try (CommandProcess run = CommandProcess.start("run", object("getpgid_probe.bpf.o"),
                "--set", "target_pid=" + ownPid())) {
            run.pokeUntil(getpgid(), line -> line.startsWith("{"), TIMEOUT);
            Thread.sleep(500);
            long before = contextSwitches(run.pid());
            Thread.sleep(1_000);
            long idle = contextSwitches(run.pid()) - before;
            // the rings wake the reader per sample while they are quiet: no timed peek each millisecond
            assertTrue(idle < 300, idle + " context switches in an idle second, all threads");
            run.interrupt();
            assertEquals(0, run.exitCode(TIMEOUT));
        }
    }

    /** Every thread's context switches so far, from /proc/PID/task/TID/status. */
    private static long contextSwitches(long pid) throws java.io.IOException {
        long n = 0;
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.contains("ctxt_switches:")) {
                            n += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                        }
                    }
                } catch (java.io.IOException gone) {
                    // a thread that ended meanwhile: root reads any live thread's status, a gone one's fails with
                    // ENOENT or, while its entry lingers, ESRCH
                }
            }
        }
        return n;
    }

    @Test
    void aProgramThatNamesNothingToAttachToIsReportedAndTheOthersStream() throws Exception {
        try (CommandProcess run = CommandProcess.start("run", object("bare_uprobe.bpf.o"), "--set",
                "target_pid=" + ownPid())) {
            run.pokeUntil(getpgid(), line -> line.startsWith("{"), TIMEOUT);
            run.interrupt();
            assertEquals(0, run.exitCode(TIMEOUT));
            List<String> err = run.stderrLines();
            assertEquals("run: not attached: program 'on_uprobe' in section 'uprobe' has no auto-attach target:",
                    err.get(0).substring(0, err.get(0).indexOf(':', err.get(0).indexOf("target")) + 1), err.toString());
            assertTrue(err.get(err.size() - 1).matches(SUMMARY), err.toString());
        }
    }

    @Test
    void anObjectNoProgramOfWhichAttachesIsAnError() throws Exception {
        assertFailsWith(List.of("run", object("uprobe_only.bpf.o")), "run: none of the programs of object"
                + " 'uprobe_only' attaches by its section, so nothing would reach the map: program 'on_uprobe' in"
                + " section 'uprobe' has no auto-attach target: ");
    }

    @Test
    void aMissingFileIsOneLine() throws Exception {
        assertFailsWith(List.of("run", "/nonexistent/probe.bpf.o"), "run: no such file: /nonexistent/probe.bpf.o");
    }

    @Test
    void aFileThatIsNotAnElfIsOneLine(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a BPF object\n");
        assertFailsWith(List.of("run", text.toString()), "this is not a BPF object");
    }

    @Test
    void anUnknownGlobalIsOneLineListingTheKnownOnes() throws Exception {
        assertFailsWith(List.of("run", object("getpgid_probe.bpf.o"), "--set", "target_tid=1"),
                "has no global variable 'target_tid'; it has [target_pid, tag, flagged, kind, seq]");
    }

    @Test
    void anEnumGlobalIsSetByItsEnumeratorsName() throws Exception {
        try (CommandProcess run = CommandProcess.start("run", object("getpgid_probe.bpf.o"), "--type", "probe_event",
                "--set", "target_pid=" + ownPid(), "--set", "kind=PROBE_TRACED")) {
            JsonNode event = JSON.readTree(run.pokeUntil(getpgid(), line -> line.startsWith("{"), TIMEOUT));

            assertEquals("PROBE_TRACED", event.get("kind").asString());
            run.interrupt();
            assertEquals(0, run.exitCode(TIMEOUT));
        }
    }

    @Test
    void anUnknownEnumeratorIsOneLineListingTheEnumerators() throws Exception {
        assertFailsWith(List.of("run", object("getpgid_probe.bpf.o"), "--set", "kind=PROBE_FAST"),
                "variable 'kind' is const volatile enum probe_kind; give one of PROBE_PLAIN, PROBE_FLAGGED,"
                        + " PROBE_TRACED or a number, not 'PROBE_FAST'");
    }

    @Test
    void aValueOutsideTheTypesRangeIsOneLine() throws Exception {
        assertFailsWith(List.of("run", object("getpgid_probe.bpf.o"), "--set", "target_pid=0x80000000"),
                "cannot hold 2147483648; it holds -2147483648 to 2147483647");
    }

    @Test
    void aVerifierRejectionIsOneLineWithTheVerifiersReason() throws Exception {
        assertFailsWith(List.of("run", object("unchecked_lookup.bpf.o")),
                "program 'unchecked_lookup' in section 'tracepoint/syscalls/sys_enter_getpgid' was rejected: EACCES"
                        + " (verifier: R0 invalid mem access 'map_value_or_null')");
    }

    @Test
    void verbosePrintsTheStackTraceToo() throws Exception {
        try (CommandProcess run = CommandProcess.start("run", "/nonexistent/probe.bpf.o", "--verbose")) {
            assertEquals(1, run.exitCode(TIMEOUT));
            assertTrue(run.stderrLines().stream().anyMatch(l -> l.strip().startsWith("at io.reactorbpf.")),
                    run.stderrLines().toString());
        }
    }

    /** Runs the command to its end and checks: exit 1, nothing on stdout, one stderr line containing {@code message}. */
    static void assertFailsWith(List<String> args, String message) throws InterruptedException {
        assertFailsWith(List.of(), System.getProperty("java.class.path"), args, message);
    }

    static void assertFailsWith(List<String> wrapper, String classPath, List<String> args, String message)
            throws InterruptedException {
        try (CommandProcess run = CommandProcess.start(wrapper, classPath, args.toArray(String[]::new))) {
            int code = run.exitCode(TIMEOUT);
            List<String> err = run.stderrLines();
            assertEquals(1, code, err.toString());
            assertEquals(1, err.size(), "one line: " + err);
            assertTrue(err.get(0).contains(message), err.get(0));
            assertFalse(err.get(0).contains("Exception"), err.get(0));
            assertEquals(List.of(), run.stdoutLines());
        }
    }

    static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.propertyNames().forEach(names::add);
        return names;
    }
}
