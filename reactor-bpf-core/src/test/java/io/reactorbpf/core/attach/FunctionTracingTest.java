package io.reactorbpf.core.attach;

import io.reactorbpf.core.sys.AttachType;
import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.ProgType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FunctionTracingTest {

    @ParameterizedTest
    @EnumSource(value = AttachType.class, names = {"TRACE_FENTRY", "TRACE_FEXIT", "MODIFY_RETURN"})
    void fentryFexitAndFmodRetRunOnATrampoline(AttachType type) {
        assertTrue(FunctionTracing.usesTrampoline(ProgType.TRACING, type));
    }

    @Test
    void lsmProgramsRunOnATrampoline() {
        assertTrue(FunctionTracing.usesTrampoline(ProgType.LSM, AttachType.LSM_MAC));
    }

    @Test
    void tpBtfAndOtherProgramTypesDoNot() {
        assertFalse(FunctionTracing.usesTrampoline(ProgType.TRACING, AttachType.TRACE_RAW_TP));
        assertFalse(FunctionTracing.usesTrampoline(ProgType.TRACING, null));
        assertFalse(FunctionTracing.usesTrampoline(ProgType.KPROBE, null));
        assertFalse(FunctionTracing.usesTrampoline(ProgType.RAW_TRACEPOINT, null));
    }

    @Test
    void epermRefusalSaysWhereItWasSeenAndWhatToUseInstead() {
        assertEquals("this kernel refuses fentry/fexit/fmod_ret programs: BPF_PROG_LOAD fails with EPERM even for an "
                + "empty fentry program on bpf_fentry_test1 (seen under kernel lockdown); use tp_btf or raw_tp programs "
                + "instead", FunctionTracing.message(Errno.EPERM, "bpf_fentry_test1"));
    }

    @Test
    void otherRefusalsNameTheirErrno() {
        String m = FunctionTracing.message(Errno.ENOTSUPP, "vfs_read");
        assertTrue(m.contains("fails with ENOTSUPP even for an empty fentry program on vfs_read;"), m);
        assertFalse(m.contains("lockdown"), m);
    }

}
