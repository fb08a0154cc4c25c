package io.reactorbpf.core.attach;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfKind;
import io.reactorbpf.core.sys.AttachType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resolution against the running kernel's BTF file, which any user may read. */
class KernelBtfTargetTest {

    private static Btf vmlinux;

    @BeforeAll
    static void readKernelBtf() {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/sys/kernel/btf/vmlinux")), "kernel publishes no BTF");
        vmlinux = Btf.vmlinux();
    }

    @Test
    void tpBtfResolvesToTheRawTracepointTypedef() {
        KernelBtfTarget t = KernelBtfTarget.resolve(vmlinux, AttachType.TRACE_RAW_TP, "sys_enter");
        assertEquals(BtfKind.TYPEDEF, vmlinux.type(t.btfId()).kind());
        assertEquals(vmlinux.findByName("btf_trace_sys_enter", BtfKind.TYPEDEF).getAsInt(), t.btfId());
    }

    @Test
    void fentryFexitAndFmodRetResolveToTheFunction() {
        int func = vmlinux.findByName("do_getpgid", BtfKind.FUNC).getAsInt();
        for (AttachType type : new AttachType[]{AttachType.TRACE_FENTRY, AttachType.TRACE_FEXIT, AttachType.MODIFY_RETURN}) {
            assertEquals(func, KernelBtfTarget.resolve(vmlinux, type, "do_getpgid").btfId(), type.name());
        }
    }

    @Test
    void describesTheTargetAsItsSectionNameDoes() {
        assertEquals("fmod_ret do_getpgid", KernelBtfTarget.resolve(vmlinux, AttachType.MODIFY_RETURN, "do_getpgid").describe());
        assertEquals("tp_btf sys_enter", KernelBtfTarget.resolve(vmlinux, AttachType.TRACE_RAW_TP, "sys_enter").describe());
    }

    @Test
    void missingFunctionIsNamed() {
        AttachTargetNotFoundException e = assertThrows(AttachTargetNotFoundException.class,
                () -> KernelBtfTarget.resolve(vmlinux, AttachType.TRACE_FENTRY, "no_such_kernel_function"));
        assertTrue(e.getMessage().contains("fentry target 'no_such_kernel_function'"), e.getMessage());
        assertTrue(e.getMessage().contains("FUNC no_such_kernel_function"), e.getMessage());
    }

    @Test
    void missingRawTracepointNamesTheTypedefLookedFor() {
        AttachTargetNotFoundException e = assertThrows(AttachTargetNotFoundException.class,
                () -> KernelBtfTarget.resolve(vmlinux, AttachType.TRACE_RAW_TP, "no_such_tp"));
        assertTrue(e.getMessage().contains("typedef btf_trace_no_such_tp"), e.getMessage());
    }

    @Test
    void nonTracingAttachTypeIsRefused() {
        AttachException e = assertThrows(AttachException.class,
                () -> KernelBtfTarget.resolve(vmlinux, AttachType.CGROUP_INET_INGRESS, "do_getpgid"));
        assertTrue(e.getMessage().contains("CGROUP_INET_INGRESS is not a tracing attach type"), e.getMessage());
    }
}
