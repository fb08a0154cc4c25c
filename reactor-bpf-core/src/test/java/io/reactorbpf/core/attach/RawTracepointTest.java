package io.reactorbpf.core.attach;

import io.reactorbpf.core.sys.ProgType;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@KernelTest
class RawTracepointTest {

    private static final int CALLS = 25;

    @Test
    void sysEnterRunsAtLeastOncePerSyscallOfThisProcess() {
        try (CountingProgram counter = CountingProgram.forThisProcess(ProgType.RAW_TRACEPOINT);
             BpfLink link = RawTracepoint.attach(counter.program(), "sys_enter")) {
            long counted = counter.countGetpgid(CALLS);
            assertTrue(counted >= CALLS, "counted " + counted);
            assertEquals("raw_tracepoint sys_enter", link.describe());
        }
    }

    @Test
    void missingRawTracepointIsNamed() {
        try (CountingProgram counter = CountingProgram.forThisProcess(ProgType.RAW_TRACEPOINT)) {
            AttachTargetNotFoundException e = assertThrows(AttachTargetNotFoundException.class,
                    () -> RawTracepoint.attach(counter.program(), "no_such_raw_tp"));
            assertTrue(e.getMessage().contains("'no_such_raw_tp'"), e.getMessage());
        }
    }
}
