package io.reactorbpf.core.attach;

import io.reactorbpf.core.internal.sys.Arch;
import io.reactorbpf.core.sys.AttachType;
import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.internal.sys.Native;
import io.reactorbpf.core.sys.ProgType;
import io.reactorbpf.core.sys.SyscallException;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
    void fentryOnTheGetpgidSyscallCountsEveryCallWhereTheKernelLoadsFunctionTracers() {
        KernelBtfTarget target = KernelBtfTarget.resolve(AttachType.TRACE_FENTRY, getpgidEntry());
        if (!FunctionTracing.supported()) {
            assertRefused(target);
            return;
        }
        try (CountingProgram counter = load(target); BpfLink link = Tracing.attach(counter.program(), target)) {
            GetpgidSampler.trigger(CALLS);
            assertEquals(CALLS, counter.count());
            assertTrue(link.linkFd().isPresent());
        }
    }

    @Test
    void fexitOnTheGetpgidSyscallCountsEveryReturnWhereTheKernelLoadsFunctionTracers() {
        KernelBtfTarget target = KernelBtfTarget.resolve(AttachType.TRACE_FEXIT, getpgidEntry());
        if (!FunctionTracing.supported()) {
            assertRefused(target);
            return;
        }
        try (CountingProgram counter = load(target);
             BpfLink link = Tracing.attach(counter.program(), AttachType.TRACE_FEXIT)) {
            GetpgidSampler.trigger(CALLS);
            assertEquals(CALLS, counter.count());
            assertEquals("fexit program count_runs", link.describe());
        }
    }

    /** On a kernel that refuses function tracers: the load fails with EPERM and the refusal says what to use instead. */
    private static void assertRefused(KernelBtfTarget target) {
        SyscallException load = assertThrows(SyscallException.class, () -> load(target).close());
        assertEquals(Errno.EPERM, load.errno(), load.getMessage());
        UnsupportedAttachException e = assertThrows(UnsupportedAttachException.class, FunctionTracing::requireSupported);
        assertEquals(FunctionTracing.refusal().orElseThrow(), e.getMessage());
        assertTrue(e.getMessage().startsWith("this kernel refuses fentry/fexit/fmod_ret programs: BPF_PROG_LOAD fails with EPERM"
                + " even for an empty fentry program on "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" (seen under kernel lockdown); use tp_btf or raw_tp programs instead"), e.getMessage());
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
