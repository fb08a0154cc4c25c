package io.reactorbpf.core.attach;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbedBinaryTest {

    @Test
    void aToolThatOutlivesItsLimitIsKilledAndFailsNamingIt() {
        AssertionError e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(AssertionError.class,
                () -> ProbedBinary.tool(Duration.ofMillis(200), "sleep", "30")));
        assertTrue(e.getMessage().startsWith("sleep did not finish within"), e.getMessage());
        assertTrue(ProcessHandle.current().children().noneMatch(ProbedBinaryTest::isSleep),
                "the timed-out tool is still running");
    }

    @Test
    void aToolThatFinishesReturnsItsOutput() {
        assertEquals("probed\n", ProbedBinary.tool(Duration.ofSeconds(20), "echo", "probed"));
    }

    @Test
    void aToolThatFailsFailsTheTestWithItsOutput() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> ProbedBinary.tool(Duration.ofSeconds(20), "sh", "-c", "echo broken >&2; exit 3"));
        assertTrue(e.getMessage().contains("exit status 3") && e.getMessage().contains("broken"), e.getMessage());
    }

    private static boolean isSleep(ProcessHandle p) {
        return p.info().command().map(c -> c.endsWith("/sleep")).orElse(false);
    }
}
