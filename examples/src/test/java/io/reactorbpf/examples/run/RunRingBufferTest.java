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

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static io.reactorbpf.examples.run.RunCommandTest.TIMEOUT;
import static io.reactorbpf.examples.run.RunCommandTest.assertFailsWith;
import static io.reactorbpf.examples.run.RunCommandTest.names;
import static io.reactorbpf.examples.run.RunCommandTest.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run} streaming a {@code BPF_MAP_TYPE_RINGBUF} map, as a real child process on the committed getpgid_ringbuf
 * object: one {@code struct ring_event} (pid, seq, comm) reserved and submitted per getpgid() of this test's JVM.
 */
@KernelTest
class RunRingBufferTest {

    private static final String SUMMARY = "delivered=(\\d+) lost=(\\d+) seconds=\\d+\\.\\d rate=\\d+\\.\\d/s";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private static String ownPid() {
        return Long.toString(ProcessHandle.current().pid());
    }

    @Test
    void typedSamplesAreTheStructsMembersWithoutACpuAndTheSummaryCountsLosses() throws Exception {
        try (CommandProcess run = CommandProcess.start("run", object("getpgid_ringbuf.bpf.o"), "--type", "ring_event",
                "--set", "target_pid=" + ownPid())) {
            JsonNode event = JSON.readTree(run.pokeUntil(() -> GetpgidSampler.trigger(1),
                    line -> line.startsWith("{"), TIMEOUT));

            assertEquals(Set.of("pid", "seq", "comm"), names(event));
            assertEquals(Native.getpid(), event.get("pid").asInt());
            assertEquals(Files.readString(Path.of("/proc/thread-self/comm")).strip(), event.get("comm").asString());

            run.interrupt();
            assertEquals(0, run.exitCode(TIMEOUT));
            List<String> err = run.stderrLines();
            assertTrue(err.get(err.size() - 1).matches(SUMMARY), err.toString());
            assertEquals("0", err.get(err.size() - 1).replaceAll(SUMMARY, "$2"), "nothing lost");
        }
    }

    @Test
    void everySampleSubmittedBeforeCtrlCIsPrintedOnceInOrder() throws Exception {
        try (CommandProcess run = CommandProcess.start("run", object("getpgid_ringbuf.bpf.o"), "--type", "ring_event",
                "--set", "target_pid=" + ownPid())) {
            run.pokeUntil(() -> GetpgidSampler.trigger(1), line -> line.startsWith("{"), TIMEOUT);
            // 1,000 events of 32 bytes with headers fit the object's 64 KiB ring whatever the reader's pace
            GetpgidSampler.trigger(1_000);
            run.interrupt();
            assertEquals(0, run.exitCode(TIMEOUT));
            List<String> lines = run.stdoutLines();

            // the program numbers what it submits from 0, so a gap or a repeat would show
            for (int i = 0; i < lines.size(); i++) {
                assertEquals(i, JSON.readTree(lines.get(i)).get("seq").asLong(), "line " + i);
            }
            assertTrue(lines.size() >= 1_001, lines.size() + " lines");
            List<String> err = run.stderrLines();
            String summary = err.get(err.size() - 1);
            assertEquals(Integer.toString(lines.size()), summary.replaceAll(SUMMARY, "$1"), summary);
            assertEquals("0", summary.replaceAll(SUMMARY, "$2"), "the 64 KiB ring held them all");
        }
    }

    @Test
    void aRingTooSmallForABurstPrintsItsLossesAndTheSummaryAddsThemUp() throws Exception {
        try (CommandProcess run = CommandProcess.start("run", object("getpgid_ringbuf.bpf.o"), "--pages", "1",
                "--type", "ring_event", "--set", "target_pid=" + ownPid())) {
            run.pokeUntil(() -> GetpgidSampler.trigger(1), line -> line.startsWith("{"), TIMEOUT);
            GetpgidSampler.trigger(20_000);
            run.interrupt();
            assertEquals(0, run.exitCode(TIMEOUT));

            long samples = 0;
            long lost = 0;
            long lastSeq = -1;
            for (String line : run.stdoutLines()) {
                JsonNode node = JSON.readTree(line);
                if (node.has("lost")) {
                    assertEquals(Set.of("lost"), names(node), "a ring buffer's loss names no cpu");
                    lost += node.get("lost").asLong();
                } else {
                    samples++;
                    lastSeq = node.get("seq").asLong();
                }
            }
            List<String> err = run.stderrLines();
            String summary = err.get(err.size() - 1);
            assertEquals(Long.toString(samples), summary.replaceAll(SUMMARY, "$1"), summary);
            assertEquals(Long.toString(lost), summary.replaceAll(SUMMARY, "$2"), summary);
            assertEquals(samples, lastSeq + 1, "the program numbers only what it submitted");
            // every getpgid() after attach is delivered or lost: the burst and the first, plus at most the pokes
            assertTrue(samples + lost >= 20_001 && samples + lost <= 20_001 + 300, samples + " + " + lost);
        }
    }

    @Test
    void pagesSizesTheRingBufferBeforeLoad() throws Exception {
        try (CommandProcess run = CommandProcess.start("run", object("getpgid_ringbuf.bpf.o"), "--pages", "1",
                "--set", "target_pid=" + ownPid())) {
            JsonNode event = JSON.readTree(run.pokeUntil(() -> GetpgidSampler.trigger(1),
                    line -> line.startsWith("{"), TIMEOUT));
            assertEquals(Set.of("size", "data"), names(event));
            run.interrupt();
            assertEquals(0, run.exitCode(TIMEOUT));
        }
    }

    @Test
    void anObjectWithNothingToStreamOrReadIsOneLineNamingItsMaps(@TempDir Path dir) throws Exception {
        // loader_kconfig has global data only, which run reads only when --map names it
        Path object = dir.resolve("loader_kconfig.bpf.o");
        try (InputStream in = RunRingBufferTest.class.getResourceAsStream("/bpf/loader/loader_kconfig.bpf.o")) {
            Files.copy(in, object);
        }
        assertFailsWith(List.of("run", object.toString()), "object 'loader_kconfig' has no PERF_EVENT_ARRAY or"
                + " RINGBUF map to stream and no map to read; its maps are [");
    }
}
