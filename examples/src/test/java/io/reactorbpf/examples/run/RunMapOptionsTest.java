package io.reactorbpf.examples.run;

import io.reactorbpf.examples.CommandProcess;
import io.reactorbpf.examples.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.reactorbpf.examples.run.RunCommandTest.TIMEOUT;
import static io.reactorbpf.examples.run.RunCommandTest.object;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How {@code run} chooses the maps it reads, and refuses what it cannot do: each a usage error, one line and exit 2,
 * found when the object is read, before anything is loaded (so no privilege is needed to see them).
 */
class RunMapOptionsTest {

    private static void assertUsageError(String expected, String... args) throws InterruptedException {
        try (CommandProcess run = CommandProcess.start(args)) {
            assertEquals(Main.USAGE, run.exitCode(TIMEOUT), run.stderrLines().toString());
            assertEquals(List.of(expected), run.stderrLines());
            assertEquals(List.of(), run.stdoutLines());
        }
    }

    @Test
    void foldedOutputTakesNoTableOrJsonOptions() throws Exception {
        assertUsageError("run: --folded prints stack counts once, at the end; leave out --json, --limit (see"
                + " reactor-bpf run --help)", "run", object("stack_counts.bpf.o"), "--folded", "--json", "--limit", "3");
    }

    @Test
    void aMapTheObjectLacksIsOneLineListingItsMaps() throws Exception {
        assertUsageError("run: --map nosuch: object 'write_sizes' has no map 'nosuch'; it has [hists, bytes,"
                + " write_si.rodata] (see reactor-bpf run --help)", "run", object("write_sizes.bpf.o"), "--map", "nosuch");
    }

    @Test
    void aMapRunCannotReadIsOneLineSayingWhichItReads(@TempDir Path dir) throws Exception {
        Path object = dir.resolve("loader_calls.bpf.o");
        try (InputStream in = RunMapOptionsTest.class.getResourceAsStream("/bpf/loader/loader_calls.bpf.o")) {
            Files.copy(in, object);
        }
        assertUsageError("run: --map outer: map 'outer' is ARRAY_OF_MAPS; run streams a PERF_EVENT_ARRAY or RINGBUF"
                + " map and reads hash and array maps as snapshots (see reactor-bpf run --help)",
                "run", object.toString(), "--map", "outer");
    }

    @Test
    void aStreamAndSnapshotsTogetherAreRefused() throws Exception {
        assertUsageError("run: --map names [events, scratch]: run streams one PERF_EVENT_ARRAY or RINGBUF map, or"
                + " reads any other maps as snapshots, not both (see reactor-bpf run --help)",
                "run", object("getpgid_probe.bpf.o"), "--map", "events", "--map", "scratch");
    }

    @Test
    void aStreamOptionWithSnapshotsIsRefusedRatherThanIgnored() throws Exception {
        assertUsageError("run: --type applies only to a streamed map, and run prints maps [hists]; leave it out"
                + " (see reactor-bpf run --help)", "run", object("write_sizes.bpf.o"), "--type", "hist");
    }

    @Test
    void snapshotOptionsWithAStreamAreRefusedRatherThanIgnored() throws Exception {
        assertUsageError("run: --interval, --json apply only to map snapshots, and run streams map 'events'; leave"
                + " them out (see reactor-bpf run --help)",
                "run", object("getpgid_probe.bpf.o"), "--interval", "2", "--json");
    }

    @Test
    void clearingAGlobalDataMapIsRefused() throws Exception {
        assertUsageError("run: --clear would zero the global variables map 'write_si.rodata' holds; leave --clear"
                + " out to print what changed each interval (see reactor-bpf run --help)",
                "run", object("write_sizes.bpf.o"), "--map", "write_si.rodata", "--clear");
    }

    @Test
    void cumulativeAndClearExcludeEachOther() throws Exception {
        assertUsageError("run: Error: --cumulative, --clear are mutually exclusive (specify only one) (see"
                + " reactor-bpf run --help)", "run", object("write_sizes.bpf.o"), "--cumulative", "--clear");
    }
}
