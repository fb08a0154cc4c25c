package io.reactorbpf.core.object;

import io.reactorbpf.core.attach.AttachTargetNotFoundException;
import io.reactorbpf.core.attach.BpfLink;
import io.reactorbpf.core.map.ArrayMap;
import io.reactorbpf.core.sys.AttachType;
import io.reactorbpf.core.internal.sys.Native;
import io.reactorbpf.core.sys.ProgType;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
        try (BpfObject obj = spec.load();
             BpfLink link = obj.program("on_exec_btf").attach()) {
            assertEquals(0, new ProcessBuilder("/bin/true").start().waitFor());
            assertTrue(obj.variable("tp_btf_hits").getLong() >= 1, "the exec of /bin/true was seen");
            assertEquals(ProgType.KPROBE, obj.program("on_uprobe").type());
        }
    }

    @Test
    @KernelTest
    void execSnooperReadsTheParentThroughCoreAndCountsExecsOfTrue() throws Exception {
        ObjectSpec spec = TestObjects.open("loader_core");
        spec.variable("parent_tgid").set(Native.getpid());
        try (BpfObject obj = spec.load();
             BpfLink link = obj.program("on_execve").attach()) {
            ArrayMap count = new ArrayMap(obj.map("exec_count"));
            assertEquals(0, new ProcessBuilder("/bin/true").start().waitFor());
            long perSpawn = count.getLong(0); // the JDK may exec a spawn helper before /bin/true: count per spawn
            assertTrue(perSpawn >= 1, "the child's execve was seen with this process as real_parent");
            for (int i = 0; i < 3; i++) {
                assertEquals(0, new ProcessBuilder("/bin/true").start().waitFor());
            }
            assertEquals(4 * perSpawn, count.getLong(0));
        }
    }

    @Test
    @KernelTest
    void fieldThisKernelLacksTakesTheFallbackBranch() {
        ObjectSpec spec = TestObjects.open("loader_core");
        spec.variable("parent_tgid").set(Native.getpid());
        try (BpfObject obj = spec.load();
             BpfLink link = obj.program("probe_missing_field").attach()) {
            Native.libc().getpgid(0);
            assertEquals(1, obj.variable("fallback_taken").getLong());
        }
    }

    @Test
    @KernelTest
    void unguardedReadOfAMissingFieldIsRejectedNamingTheRelocation() {
        ObjectSpec spec = TestObjects.open("loader_core");
        spec.program("reads_missing_field").autoload(true);
        ProgramLoadException e = assertThrows(ProgramLoadException.class, spec::load);
        assertEquals("reads_missing_field", e.program());
        assertTrue(e.getMessage().contains("CO-RE relocation FIELD"), e.getMessage());
        assertTrue(e.getMessage().contains("task_struct___fake"), e.getMessage());
        assertTrue(e.getMessage().contains("access path 0:0"), e.getMessage());
    }

    @Test
    @KernelTest
    void tracingProgramWithAnUnknownTargetNamesIt() {
        ObjectSpec spec = TestObjects.open("loader_core");
        spec.program("on_exec_btf").attachTarget("no_such_tracepoint");
        AttachTargetNotFoundException e = assertThrows(AttachTargetNotFoundException.class, spec::load);
        assertTrue(e.getMessage().contains("no_such_tracepoint") && e.getMessage().contains("on_exec_btf"), e.getMessage());
    }
}
