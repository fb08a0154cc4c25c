package io.reactorbpf.core.attach;

import io.reactorbpf.core.sys.Arch;
import io.reactorbpf.core.sys.AttachType;
import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.Native;
import io.reactorbpf.core.sys.ProgType;
import io.reactorbpf.core.sys.SyscallException;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.core.testing.KernelTests;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@KernelTest
class TracingTest {

    private static final int CALLS = 25;

    /** The getpgid syscall entry the architecture's syscall table calls. */
    private static String getpgidEntry() {
        return Native.arch() == Arch.X86_64 ? "__x64_sys_getpgid" : "__arm64_sys_getpgid";
    }

    private static CountingProgram load(KernelBtfTarget target) {
        return CountingProgram.load(ProgType.TRACING, Native.getpid(),
                a -> a.expectedAttachType(target.attachType().value()).attachBtf(target.btfId(), 0));
    }

    /** Loads a function-tracing program, skipping where the kernel refuses them all (seen under kernel lockdown). */
    private static CountingProgram loadFunctionTracer(KernelBtfTarget target) {
        try {
            return load(target);
        } catch (SyscallException e) {
            KernelTests.require(e.errno() != Errno.EPERM, "this kernel refuses to load " + target.describe()
                    + " with EPERM though tp_btf programs load (fentry/fexit are restricted here): " + e.getMessage());
            throw e;
        }
    }

    @Test
    void tpBtfOnSysEnterRunsAtLeastOncePerSyscall() {
        KernelBtfTarget target = KernelBtfTarget.resolve(AttachType.TRACE_RAW_TP, "sys_enter");
        try (CountingProgram counter = load(target); BpfLink link = Tracing.attach(counter.program(), target)) {
            long counted = counter.countGetpgid(CALLS);
            assertTrue(counted >= CALLS, "counted " + counted);
            assertEquals("tp_btf sys_enter", link.describe());
        }
    }

    @Test
    void fentryOnTheGetpgidSyscallCountsEveryCall() {
        KernelBtfTarget target = KernelBtfTarget.resolve(AttachType.TRACE_FENTRY, getpgidEntry());
        try (CountingProgram counter = loadFunctionTracer(target); BpfLink link = Tracing.attach(counter.program(), target)) {
            CountingProgram.getpgid(CALLS);
            assertEquals(CALLS, counter.count());
            assertTrue(link.linkFd().isPresent());
        }
    }

    @Test
    void fexitOnTheGetpgidSyscallCountsEveryReturn() {
        KernelBtfTarget target = KernelBtfTarget.resolve(AttachType.TRACE_FEXIT, getpgidEntry());
        try (CountingProgram counter = loadFunctionTracer(target);
             BpfLink link = Tracing.attach(counter.program(), AttachType.TRACE_FEXIT)) {
            CountingProgram.getpgid(CALLS);
            assertEquals(CALLS, counter.count());
            assertEquals("fexit program count_runs", link.describe());
        }
    }

    @Test
    void rawTracepointOpenAttachesWhereLinkCreateCannot() {
        KernelBtfTarget target = KernelBtfTarget.resolve(AttachType.TRACE_RAW_TP, "sys_enter");
        try (CountingProgram counter = load(target);
             BpfLink link = Tracing.attach(counter.program(), target.attachType(), target.describe(), AttachMode.LEGACY)) {
            long counted = counter.countGetpgid(CALLS);
            assertTrue(counted >= CALLS, "counted " + counted);
            assertTrue(link.linkFd().isPresent());
        }
    }
}
