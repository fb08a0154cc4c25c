package io.reactorbpf.core.object;

import io.reactorbpf.core.sys.AttachType;
import io.reactorbpf.core.sys.Bpf;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.ProgType;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** loader_core.bpf.o: an exec snooper with CO-RE reads, a tp_btf program and a bare uprobe. */
class CoreObjectTest {

    @Test
    void tpBtfSectionGivesTracingTypeAttachTypeAndTarget() {
        ObjectSpec spec = TestObjects.open("loader_core");
        assertTrue(spec.programs().stream().anyMatch(p -> p.name().equals("on_execve")));
        assertEquals(ProgType.TRACING, spec.program("on_exec_btf").type());
        assertEquals(AttachType.TRACE_RAW_TP, spec.program("on_exec_btf").expectedAttachType());
        assertEquals("sched_process_exec", spec.program("on_exec_btf").attachTarget());
    }

    @Test
    void bareUprobeSectionHasNoAutoAttachTarget() {
        ProgramSpec uprobe = TestObjects.open("loader_core").program("on_uprobe");
        assertEquals(AttachKind.UPROBE, uprobe.section().attach());
        assertEquals("", uprobe.attachTarget());
    }

    @Test
    @KernelTest
    void tpBtfProgramLoadsAgainstTheKernelTypeAndCountsExecs() throws Exception {
        ObjectSpec spec = TestObjects.open("loader_core");
        spec.program("on_execve").autoload(false);
        spec.program("probe_missing_field").autoload(false);
        try (BpfObject obj = spec.load();
             FileDescriptor link = Bpf.rawTracepointOpen(null, obj.program("on_exec_btf").fd())) {
            assertEquals(0, new ProcessBuilder("/bin/true").start().waitFor());
            assertTrue(obj.variable("tp_btf_hits").getLong() >= 1, "the exec of /bin/true was seen");
            assertEquals(ProgType.KPROBE, obj.program("on_uprobe").type());
        }
    }

    @Test
    @KernelTest
    void tracingProgramWithAnUnknownTargetNamesIt() {
        ObjectSpec spec = TestObjects.open("loader_core");
        spec.program("on_execve").autoload(false);
        spec.program("probe_missing_field").autoload(false);
        spec.program("on_exec_btf").attachTarget("no_such_tracepoint");
        ObjectFormatException e = org.junit.jupiter.api.Assertions.assertThrows(ObjectFormatException.class, spec::load);
        assertTrue(e.getMessage().contains("no_such_tracepoint") && e.getMessage().contains("on_exec_btf"), e.getMessage());
    }
}
