package io.reactorbpf.core.sys;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyscallErrorsTest {

    @Test
    void errnoNamesComeFromTheKernelHeaders() {
        assertEquals(Errno.EPERM, Errno.of(1));
        assertEquals(Errno.ENOENT, Errno.of(2));
        assertEquals(Errno.E2BIG, Errno.of(7));
        assertEquals(Errno.ENOTSUPP, Errno.of(524));
        assertEquals(Errno.UNKNOWN, Errno.of(9999));
        assertEquals(Errno.UNKNOWN, Errno.of(-3));
    }

    @Test
    void messageNamesSyscallCommandErrnoAndContext() {
        SyscallException e = new SyscallException("bpf", "BPF_MAP_CREATE", 22, "creating map 'events'");
        assertEquals("bpf(BPF_MAP_CREATE) failed: EINVAL (22, Invalid argument): creating map 'events'", e.getMessage());
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("BPF_MAP_CREATE", e.command());
    }

    @Test
    void permissionErrorWithoutCapabilitiesNamesTheMissingOnes() {
        String hint = SyscallException.permissionHint(Privileges.fromCapEff("0000000000000000"));
        assertEquals("The process lacks [CAP_PERFMON, CAP_BPF]; run as root or grant CAP_BPF and CAP_PERFMON"
                + " (CAP_SYS_ADMIN on kernels before 5.8)", hint);
    }

    @Test
    void permissionErrorWithEveryCapabilitySaysTheKernelItselfRefused() {
        String hint = SyscallException.permissionHint(Privileges.fromCapEff("000001ffffffffff"));
        assertTrue(hint.contains("the kernel itself refused"), hint);
        assertTrue(hint.contains("kernel lockdown") && hint.contains("kernel.perf_event_paranoid"), hint);
        assertFalse(hint.contains("grant"), hint);
    }

    @Test
    void permissionErrorWithUnknownCapabilitiesGivesTheCapabilityAdvice() {
        assertEquals("Run as root or grant CAP_BPF and CAP_PERFMON (CAP_SYS_ADMIN on kernels before 5.8)",
                SyscallException.permissionHint(null));
    }

    @Test
    void permissionErrorMessageEndsWithTheHintForThisProcess() {
        SyscallException e = new SyscallException("bpf", "BPF_PROG_LOAD", 1, "loading program 'x'");
        assertTrue(e.getMessage().endsWith(". " + SyscallException.permissionHint(Privileges.current())), e.getMessage());
    }

    @Test
    void verifierRejectionCarriesTheWholeLog() {
        VerifierException e = new VerifierException("BPF_PROG_LOAD", 13, "loading program 'p'", "0: (b7) r0 = 0\nR0 !read_ok");
        assertTrue(e.getMessage().endsWith("0: (b7) r0 = 0\nR0 !read_ok"), e.getMessage());
        assertEquals("0: (b7) r0 = 0\nR0 !read_ok", e.log());
    }

    @Test
    void rootHasEverythingBpfNeeds() {
        assertTrue(Privileges.fromCapEff("000001ffffffffff").missingForBpf().isEmpty());
    }

    @Test
    void bpfAndPerfmonWithoutSysAdminAreEnough() {
        long mask = (1L << Capability.CAP_BPF.bit()) | (1L << Capability.CAP_PERFMON.bit());
        assertTrue(Privileges.fromCapEff(Long.toHexString(mask)).missingForBpf().isEmpty());
    }

    @Test
    void missingCapabilitiesAreNamed() {
        Privileges none = Privileges.fromCapEff("0000000000000000");
        assertEquals(Set.of(Capability.CAP_BPF, Capability.CAP_PERFMON), none.missingForBpf());
        MissingPrivilegeException e = assertThrows(MissingPrivilegeException.class, none::requireBpf);
        assertTrue(e.getMessage().contains("CAP_BPF") && e.getMessage().contains("CAP_PERFMON"), e.getMessage());
        assertFalse(none.has(Capability.CAP_SYS_ADMIN));
    }
}
