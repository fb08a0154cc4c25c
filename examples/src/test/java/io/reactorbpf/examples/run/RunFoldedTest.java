package io.reactorbpf.examples.run;

import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.examples.CommandProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import java.util.List;

import static io.reactorbpf.examples.run.RunCommandTest.SUMMARY;
import static io.reactorbpf.examples.run.RunCommandTest.TIMEOUT;
import static io.reactorbpf.examples.run.RunCommandTest.assertFailsWith;
import static io.reactorbpf.examples.run.RunCommandTest.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run --folded} on the committed stack_counts object, shaped as profile is: each getpgid() of this test's
 * process counted by its user and kernel stacks, printed at the end as folded stacks.
 */
@KernelTest
class RunFoldedTest {

    private static final int CALLS = 50;

    @Test
    void everyCountedCallIsInAFoldedLineResolvedToTheSyscallPathAndLibcsGetpgid() throws Exception {
        try (CommandProcess run = CommandProcess.start("run", object("stack_counts.bpf.o"), "--folded",
                "--set", "target_tgid=" + ProcessHandle.current().pid())) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (run.stderrLines().stream().noneMatch(l -> l.startsWith("run: counting stacks in [counts]"))) {
                assertTrue(run.isAlive() && System.nanoTime() < deadline, "not attached: " + run.stderrLines());
                Thread.onSpinWait();
            }
            GetpgidSampler.trigger(CALLS);
            run.interrupt();
            assertEquals(0, run.exitCode(TIMEOUT), run.stderrLines().toString());

            List<String> lines = run.stdoutLines();
            assertFalse(lines.isEmpty(), "no folded stacks; stderr " + run.stderrLines());
            long counted = 0;
            for (String line : lines) {
                assertTrue(line.matches("[^ ;]+(;[^ ;]+)+ \\d+"), line);
                assertTrue(line.contains(";do_syscall_64_[k];"), "kernel frames outermost first: " + line);
                int kernel = line.indexOf("_[k]");
                assertTrue(line.substring(0, kernel).contains("getpgid"), "libc's getpgid among the user frames: "
                        + line);
                counted += Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            }
            assertEquals(CALLS, counted, String.join("\n", lines));
            List<String> err = run.stderrLines();
            assertTrue(err.get(err.size() - 1).matches(SUMMARY), err.toString());
        }
    }

    @Test
    void debiansOffcputimeFoldsASleepersStacksUnderTheCommandItsValuesName(@TempDir Path dir) throws Exception {
        Path object = dir.resolve("offcputime.bpf.o");
        try (InputStream in = RunFoldedTest.class.getResourceAsStream("/bpf/thirdparty/offcputime.bpf.o")) {
            Files.copy(in, object);
        }
        Process sleeper = new ProcessBuilder("/usr/bin/python3", "-c", "import time\nwhile True:\n    time.sleep(0.005)\n")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (CommandProcess run = CommandProcess.start("run", object.toString(), "--folded",
                "--set", "targ_tgid=" + sleeper.pid(), "--duration", "2")) {
            assertEquals(0, run.exitCode(TIMEOUT), run.stderrLines().toString());
            List<String> lines = run.stdoutLines();
            assertFalse(lines.isEmpty(), "no folded stacks; stderr " + run.stderrLines());
            for (String line : lines) {
                assertTrue(line.startsWith("python3;"), "the command from offcputime's val_t first: " + line);
            }
            assertTrue(lines.stream().anyMatch(l -> l.contains(";do_nanosleep_[k];") && l.contains(";schedule_[k];")
                    && l.matches(".* [1-9]\\d*")),
                    "time.sleep blocked in schedule(), for some us: " + String.join("\n", lines));
        } finally {
            sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void foldedOutputNeedsAMapKeyedByStackIds() throws Exception {
        assertFailsWith(List.of("run", object("write_sizes.bpf.o"), "--folded"),
                "--folded needs one STACK_TRACE map for the stack ids; object 'write_sizes' has []");
    }
}
