package io.reactorbpf.examples.run;

import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.examples.CommandProcess;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.reactorbpf.examples.run.RunCommandTest.SUMMARY;
import static io.reactorbpf.examples.run.RunCommandTest.TIMEOUT;
import static io.reactorbpf.examples.run.RunCommandTest.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run} on an object whose output is in maps, as a real child process: the committed write_sizes object
 * counts the sizes of the write(2) calls of one process (a python child writing 1, 2, 3, 100, 1000 and 1000 bytes)
 * in a log2 histogram per command name and sums the bytes per file descriptor in a per-CPU hash.
 */
@KernelTest
class RunMapsTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int[] SIZES = {1, 2, 3, 100, 1000, 1000};
    /** The log2 slots of those sizes: 1 -> 0, 2 and 3 -> 1, 100 -> 6, 1000 -> 9. */
    private static final Map<Long, Long> SLOTS = Map.of(0L, 1L, 2L, 2L, 64L, 1L, 512L, 2L);
    private static final String HEADER = "\\d\\d:\\d\\d:\\d\\d ";

    /** Runs {@code run} on write_sizes for a writer, lets the writer write once attached, then stops it with Ctrl-C. */
    private static List<String> runWhileItWrites(String... options) throws Exception {
        try (WriterProcess writer = WriterProcess.start(SIZES)) {
            List<String> args = new java.util.ArrayList<>(List.of("run", object("write_sizes.bpf.o"),
                    "--set", "target_tgid=" + writer.pid()));
            args.addAll(List.of(options));
            try (CommandProcess run = CommandProcess.start(args.toArray(String[]::new))) {
                // the first snapshot comes an interval after the programs are attached
                String first = run.nextLine(TIMEOUT);
                assertTrue(first != null && (first.matches(HEADER + ".*") || first.startsWith("{")),
                        "first line " + first + "; stderr " + run.stderrLines());
                writer.writeAndExit(TIMEOUT);
                run.interrupt();
                assertEquals(0, run.exitCode(TIMEOUT), run.stderrLines().toString());
                List<String> err = run.stderrLines();
                assertTrue(err.get(err.size() - 1).matches(SUMMARY), err.toString());
                return run.stdoutLines();
            }
        }
    }

    /** The lines of the last snapshot: from the last line that heads one. */
    private static List<String> lastSnapshot(List<String> lines) {
        int at = lines.size() - 1;
        while (at >= 0 && !lines.get(at).matches(HEADER + "\\S+")) {
            at--;
        }
        assertTrue(at >= 0, "no snapshot in " + lines);
        return lines.subList(at, lines.size());
    }

    @Test
    void aHistogramMapPrintsItsCountsAsLibbpfToolsPrintTheirs() throws Exception {
        List<String> last = lastSnapshot(runWhileItWrites("--unit", "bytes", "--cumulative"));
        assertTrue(last.get(0).endsWith(" hists"), last.get(0));
        assertEquals(List.of("",
                "comm = python3",
                "     bytes               : count    distribution",
                "         0 -> 1          : 1        |********************                    |",
                "         2 -> 3          : 2        |****************************************|",
                "         4 -> 7          : 0        |                                        |",
                "         8 -> 15         : 0        |                                        |",
                "        16 -> 31         : 0        |                                        |",
                "        32 -> 63         : 0        |                                        |",
                "        64 -> 127        : 1        |********************                    |",
                "       128 -> 255        : 0        |                                        |",
                "       256 -> 511        : 0        |                                        |",
                "       512 -> 1023       : 2        |****************************************|",
                ""), last.subList(1, last.size()));
    }

    /** Every bucket's count summed over all JSON snapshots: low -> count. */
    private static Map<Long, Long> summedBuckets(List<String> lines) throws Exception {
        Map<Long, Long> sums = new TreeMap<>();
        for (String line : lines) {
            JsonNode snapshot = JSON.readTree(line);
            assertEquals("hists", snapshot.get("map").asString());
            for (JsonNode entry : snapshot.get("entries")) {
                assertEquals("python3", entry.get("key").get("comm").asString());
                for (JsonNode bucket : entry.get("value").get("slots")) {
                    long count = bucket.get("count").asLong();
                    assertTrue(count >= 0, line);
                    if (count > 0) {
                        sums.merge(bucket.get("low").asLong(), count, Long::sum);
                    }
                }
            }
        }
        return sums;
    }

    @Test
    void perIntervalSnapshotsAddUpToWhatTheProgramCounted() throws Exception {
        assertEquals(new TreeMap<>(SLOTS), summedBuckets(runWhileItWrites("--json")));
    }

    @Test
    void clearingSnapshotsAddUpToWhatTheProgramCountedToo() throws Exception {
        assertEquals(new TreeMap<>(SLOTS), summedBuckets(runWhileItWrites("--json", "--clear")));
    }

    @Test
    void aMapWithoutHistogramsIsATableAndAPerCpuValueIsSummedOverTheCpus() throws Exception {
        List<String> last = lastSnapshot(runWhileItWrites("--map", "bytes", "--cumulative"));
        assertTrue(last.get(0).endsWith(" bytes"), last.get(0));
        assertEquals("KEY  VALUE", last.get(1));
        assertTrue(last.get(2).matches(" *\\d+ +2106"), "fd and 1 + 2 + 3 + 100 + 1000 + 1000 bytes: " + last);
        assertEquals(List.of(""), last.subList(3, last.size()));
    }

    @Test
    void mapsNamedWithMapArePrintedTogetherEachTickInTheirOrder() throws Exception {
        List<String> lines = runWhileItWrites("--map", "bytes", "--map", "hists", "--json", "--cumulative");
        assertTrue(lines.size() >= 2 && lines.size() % 2 == 0, lines.toString());
        for (int i = 0; i < lines.size(); i += 2) {
            assertEquals("bytes", JSON.readTree(lines.get(i)).get("map").asString());
            assertEquals("hists", JSON.readTree(lines.get(i + 1)).get("map").asString());
        }
        JsonNode bytes = JSON.readTree(lines.get(lines.size() - 2)).get("entries");
        assertEquals(1, bytes.size());
        assertEquals(2106, bytes.get(0).get("value").asLong());
    }
}
