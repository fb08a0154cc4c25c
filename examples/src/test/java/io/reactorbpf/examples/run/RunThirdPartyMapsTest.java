package io.reactorbpf.examples.run;

import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.examples.CommandProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.reactorbpf.examples.run.RunCommandTest.TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run} on Debian's libbpf-tools objects (core's test resources, see the README beside them), unmodified,
 * whose output is a log2 histogram map: run finds the map by its BTF and prints it as the tools do. The block I/O
 * they count comes from dd rewriting a scratch file with O_DIRECT, so each 4 KiB write is one request.
 */
@KernelTest
class RunThirdPartyMapsTest {

    private static final int WRITES = 8;

    /** The object, copied out of the test jar it may be in. */
    private static String thirdParty(String name, Path dir) throws IOException {
        Path copy = dir.resolve(name + ".bpf.o");
        try (InputStream in = RunThirdPartyMapsTest.class.getResourceAsStream("/bpf/thirdparty/" + name + ".bpf.o")) {
            Files.copy(in, copy);
        }
        return copy.toString();
    }

    /**
     * A file of {@code WRITES} 4 KiB blocks, written and synced before the run: dd then rewrites blocks the file
     * has, so no block allocation adds a metadata request in dd's name.
     */
    private static Path allocatedFile(Path dir) throws IOException {
        Path file = dir.resolve("blocks.bin");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(WRITES * 4096));
            channel.force(true);
        }
        return file;
    }

    /** dd: {@code WRITES} direct 4 KiB writes over {@code file}'s blocks. */
    private static void directWrites(Path file) throws IOException, InterruptedException {
        dd("if=/dev/zero", "of=" + file, "bs=4k", "count=" + WRITES, "oflag=direct", "conv=notrunc");
    }

    private static void dd(String... operands) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("dd"));
        command.addAll(List.of(operands));
        Process dd = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(dd.getInputStream().readAllBytes());
        assertTrue(dd.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "dd ends");
        assertEquals(0, dd.exitValue(), command + ": " + out);
    }

    /** Runs the object until its first snapshot, has dd write, and stops it; the last snapshot's lines. */
    private static List<String> runWhileDdWrites(Path dir, String object, String... options) throws Exception {
        Path file = allocatedFile(dir);
        // dd once beforehand, so that its program and libraries are in the page cache: no read in dd's name later
        dd("if=/dev/zero", "of=/dev/null", "count=1");
        List<String> args = new ArrayList<>(List.of("run", object, "--cumulative"));
        args.addAll(List.of(options));
        try (CommandProcess run = CommandProcess.start(args.toArray(String[]::new))) {
            String first = run.nextLine(TIMEOUT);
            assertTrue(first != null && first.endsWith(" hists"), first + "; stderr " + run.stderrLines());
            directWrites(file);
            // a snapshot read after dd ended: the next header
            String next;
            do {
                next = run.nextLine(TIMEOUT);
            } while (next != null && !next.endsWith(" hists"));
            run.interrupt();
            assertEquals(0, run.exitCode(TIMEOUT), run.stderrLines().toString());
            List<String> lines = run.stdoutLines();
            int last = lines.size() - 1;
            while (!lines.get(last).endsWith(" hists")) {
                last--;
            }
            return lines.subList(last, lines.size());
        }
    }

    @Test
    void bitesizeCountsDdsFourKilobyteRequestsInItsFourToSevenKbytesSlot(@TempDir Path dir) throws Exception {
        List<String> last = runWhileDdWrites(dir, thirdParty("bitesize", dir), "--set", "targ_comm=dd",
                "--unit", "Kbytes");
        assertEquals(List.of("", "comm = dd", "     Kbytes              : count    distribution"), last.subList(1, 4),
                last.toString());
        assertTrue(last.get(4).matches(" {9}0 -> 1 {10}: 0 {8}\\| {40}\\|"), last.get(4));
        assertTrue(last.get(5).matches(" {9}2 -> 3 {10}: 0 {8}\\| {40}\\|"), last.get(5));
        // each direct write is one 4 KiB request issued in dd's name; the file's metadata may add a few more
        String four = last.get(6);
        assertTrue(four.matches(" {9}4 -> 7 {10}: \\d+ +\\|\\*{40}\\|"), four);
        long requests = Long.parseLong(four.replaceAll(".*: (\\d+) .*", "$1"));
        assertTrue(requests >= WRITES, requests + " requests of 4 to 7 KiB, dd wrote " + WRITES);
        for (String line : last.subList(7, last.size() - 1)) {
            assertTrue(line.matches(" +\\d+ -> \\d+ +: \\d+ +\\|[* ]{40}\\|"), line);
        }
        assertEquals("", last.get(last.size() - 1));
    }

    @Test
    void biolatencyPrintsItsLatencyHistogramWithEveryRequest(@TempDir Path dir) throws Exception {
        List<String> last = runWhileDdWrites(dir, thirdParty("biolatency", dir), "--unit", "usecs");
        assertEquals(List.of("", "cmd_flags = 0, dev = 0", "     usecs               : count    distribution"),
                last.subList(1, 4), last.toString());
        long requests = 0;
        for (String line : last.subList(4, last.size() - 1)) {
            assertTrue(line.matches(" +\\d+ -> \\d+ +: \\d+ +\\|[* ]{40}\\|"), line);
            requests += Long.parseLong(line.replaceAll(".*: (\\d+) .*", "$1"));
        }
        assertTrue(requests >= WRITES, requests + " requests timed, dd's " + WRITES + " among them");
    }
}
