package io.reactorbpf.core.attach;

import io.reactorbpf.core.BpfException;
import io.reactorbpf.core.sys.ProgType;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@KernelTest
class TracepointTest {

    private static final int CALLS = 25;

    @Test
    void linkedTracepointCountsEveryCallOfThisProcess() {
        try (CountingProgram counter = CountingProgram.forThisProcess(ProgType.TRACEPOINT);
             BpfLink link = Tracepoint.attach(counter.program(), "syscalls", "sys_enter_getpgid")) {
            assertTrue(link.linkFd().isPresent(), "a 6.x kernel links perf events");
            GetpgidSampler.trigger(CALLS);
            assertEquals(CALLS, counter.count());
        }
    }

    @Test
    void setBpfTracepointCountsEveryCallOfThisProcess() {
        try (CountingProgram counter = CountingProgram.forThisProcess(ProgType.TRACEPOINT);
             BpfLink link = Tracepoint.attach(counter.program(), "syscalls", "sys_enter_getpgid", AttachMode.LEGACY)) {
            assertFalse(link.linkFd().isPresent());
            assertTrue(link.perfEventFd().isPresent());
            GetpgidSampler.trigger(CALLS);
            assertEquals(CALLS, counter.count());
        }
    }

    @Test
    void describesTheTracepoint() {
        try (CountingProgram counter = CountingProgram.forThisProcess(ProgType.TRACEPOINT);
             BpfLink link = Tracepoint.attach(counter.program(), "syscalls", "sys_enter_getpgid")) {
            assertEquals("tracepoint syscalls:sys_enter_getpgid", link.describe());
        }
    }

    @Test
    void missingTracepointIsNamed() {
        try (CountingProgram counter = CountingProgram.forThisProcess(ProgType.TRACEPOINT)) {
            BpfException e = assertThrows(BpfException.class,
                    () -> Tracepoint.attach(counter.program(), "syscalls", "sys_enter_no_such_call"));
            assertTrue(e.getMessage().contains("syscalls:sys_enter_no_such_call"), e.getMessage());
        }
    }

    @Test
    void programOfTheWrongTypeIsRefusedNamingTheTracepoint() {
        try (CountingProgram counter = CountingProgram.forThisProcess(ProgType.RAW_TRACEPOINT)) {
            AttachException e = assertThrows(AttachException.class,
                    () -> Tracepoint.attach(counter.program(), "syscalls", "sys_enter_getpgid"));
            assertTrue(e.getMessage().contains("tracepoint syscalls:sys_enter_getpgid"), e.getMessage());
        }
    }
}
