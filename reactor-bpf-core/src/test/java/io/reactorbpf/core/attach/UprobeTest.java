package io.reactorbpf.core.attach;

import io.reactorbpf.core.sys.ProgType;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

@KernelTest
class UprobeTest {

    private static final int CALLS = 37;

    @TempDir
    static Path dir;
    private static Path binary;
    private static Path pieBinary;

    @BeforeAll
    static void compile() {
        binary = ProbedBinary.compile(dir, false);
        pieBinary = ProbedBinary.compile(dir, true);
    }

    private static CountingProgram counter() {
        return CountingProgram.load(ProgType.KPROBE, CountingProgram.ANY_PROCESS, UnaryOperator.identity());
    }

    @Test
    void uprobeAttachedBeforeTheProcessStartsCountsEveryCall() {
        try (CountingProgram counter = counter();
             BpfLink link = Uprobe.attach(counter.program(), false, binary, ProbedBinary.FUNCTION, 0, -1)) {
            ProbedBinary.run(binary, CALLS);
            assertEquals(CALLS, counter.count());
            assertEquals("uprobe " + binary + ":" + ProbedBinary.FUNCTION, link.describe());
        }
    }

    @Test
    void uretprobeCountsEveryReturn() {
        try (CountingProgram counter = counter();
             BpfLink link = Uprobe.attach(counter.program(), true, binary, ProbedBinary.FUNCTION, 0, -1)) {
            ProbedBinary.run(binary, CALLS);
            assertEquals(CALLS, counter.count());
            assertEquals("uretprobe " + binary + ":" + ProbedBinary.FUNCTION, link.describe());
        }
    }

    @Test
    void uprobeInAPositionIndependentExecutableCountsEveryCall() {
        try (CountingProgram counter = counter();
             BpfLink link = Uprobe.attach(counter.program(), false, pieBinary, ProbedBinary.FUNCTION, 0, -1)) {
            ProbedBinary.run(pieBinary, CALLS);
            assertEquals(CALLS, counter.count());
        }
    }

    @Test
    void uprobeAtAFileOffsetCountsLikeTheSymbol() {
        long offset = new UprobeTarget(binary, ProbedBinary.FUNCTION, 0).fileOffset();
        try (CountingProgram counter = counter();
             BpfLink link = Uprobe.attach(counter.program(), false, binary, null, offset, -1)) {
            ProbedBinary.run(binary, CALLS);
            assertEquals(CALLS, counter.count());
        }
    }

    @Test
    void uprobeForOneProcessIgnoresOtherProcessesRunningTheSameCode() {
        Process watched = ProbedBinary.start(binary);
        Process other = ProbedBinary.start(binary);
        try (CountingProgram counter = counter();
             BpfLink link = Uprobe.attach(counter.program(), false, binary, ProbedBinary.FUNCTION, 0, (int) watched.pid())) {
            ProbedBinary.finish(other, CALLS + 5);
            ProbedBinary.finish(watched, CALLS);
            assertEquals(CALLS, counter.count());
        } finally {
            watched.destroyForcibly();
            other.destroyForcibly();
        }
    }
}
