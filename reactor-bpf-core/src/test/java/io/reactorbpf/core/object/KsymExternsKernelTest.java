package io.reactorbpf.core.object;

import io.reactorbpf.core.internal.sys.Native;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * __ksym externs on the running kernel: loader_ksym reads a typed per-CPU variable (runqueues) with
 * bpf_per_cpu_ptr and bpf_this_cpu_ptr, a typeless symbol's address (_stext: a kernel without
 * CONFIG_KALLSYMS_ALL lists only code in /proc/kallsyms) and two weak externs no kernel has; loader_ksym_missing has one strong missing extern of each kind per program.
 */
@KernelTest
class KsymExternsKernelTest {

    private static long kallsyms(String name) {
        List<Long> found = KernelSymbols.addresses(KernelSymbols.KALLSYMS, Set.of(name)).get(name);
        assertTrue(found != null && found.size() == 1, name + " in /proc/kallsyms: " + found);
        return found.get(0);
    }

    /**
     * The kernel finds a typed variable's address by name in kallsyms, which lists variables only with
     * CONFIG_KALLSYMS_ALL: without it the verifier refuses the BTF id the loader gave, naming the variable.
     */
    @Test
    void typedTypelessAndMissingWeakKsymsReadWhatTheKernelHasAndZero() {
        ObjectSpec spec = TestObjects.open("loader_ksym");
        spec.variable("target_tgid").set(Native.getpid());
        if (KernelSymbols.addresses(KernelSymbols.KALLSYMS, Set.of("runqueues")).isEmpty()) {
            ProgramLoadException e = assertThrows(ProgramLoadException.class, spec::load);
            assertTrue(e.log().contains("ldimm64 failed to find the address for kernel symbol 'runqueues'"), e.log());
            return;
        }
        try (BpfObject obj = spec.load()) {
            obj.attachAll();
            Native.libc().getpgid(0);
            assertEquals(kallsyms("runqueues"), obj.variable("runqueues_addr").getLong());
            assertEquals(kallsyms("_stext"), obj.variable("stext_addr").getLong());
            assertEquals(0, obj.variable("missing_typed_addr").getLong());
            assertEquals(0, obj.variable("missing_typeless_addr").getLong());
            long cpu = obj.variable("cpu_seen").getLong();
            assertTrue(cpu >= 0, "the program ran");
            assertEquals(cpu, obj.variable("rq_cpu").getLong(), "bpf_per_cpu_ptr(&runqueues, cpu)->cpu");
            assertEquals(cpu, obj.variable("this_rq_cpu").getLong(), "bpf_this_cpu_ptr(&runqueues)->cpu");
        }
    }

    @Test
    void aTypelessKsymIsItsKallsymsAddressAndMissingWeakOnesAreZero() {
        ObjectSpec spec = TestObjects.open("loader_ksym");
        spec.variable("target_tgid").set(Native.getpid());
        spec.program("read_ksyms").autoload(false);
        spec.program("read_addresses").autoload(true);
        try (BpfObject obj = spec.load()) {
            obj.attachAll();
            Native.libc().getpgid(0);
            assertEquals(kallsyms("_stext"), obj.variable("stext_addr").getLong());
            assertEquals(0, obj.variable("missing_typed_addr").getLong(), "a weak typed extern no kernel has");
            assertEquals(0, obj.variable("missing_typeless_addr").getLong(), "a weak typeless extern no kernel has");
        }
    }

    @Test
    void kfuncsAreCalledThroughKernelBtfAndAMissingWeakOneIsDeadCode() {
        ObjectSpec spec = TestObjects.open("loader_kfunc");
        spec.variable("target_tgid").set(Native.getpid());
        try (BpfObject obj = spec.load()) {
            obj.attachAll();
            Native.libc().getpgid(0);
            assertTrue(obj.variable("locked_runs").getLong() > 0, "ran between bpf_rcu_read_lock and unlock");
            assertEquals(0, obj.variable("missing_exists").getLong());
            assertEquals(kallsyms("bpf_rcu_read_lock"), obj.variable("lock_addr").getLong(),
                    "a kfunc's address is its kallsyms address");
        }
    }

    @Test
    void theExternsAreReadFromTheKsymsDatasecWithTheirWeakness() {
        Map<String, KsymExtern> ksyms = TestObjects.open("loader_ksym").ksyms();
        assertEquals(Set.of("runqueues", "_stext", "reactor_bpf_no_such_rq", "reactor_bpf_no_such_symbol"),
                ksyms.keySet());
        assertTrue(TestObjects.open("loader_kfunc").ksyms().get("bpf_rcu_read_lock").function());
        assertTrue(ksyms.get("runqueues").typed() && !ksyms.get("runqueues").weak());
        assertTrue(!ksyms.get("_stext").typed());
        assertTrue(ksyms.get("reactor_bpf_no_such_symbol").weak());
    }

    @Test
    void aStrongTypedKsymTheKernelLacksIsRefusedNamingTheProgramTheSymbolAndKernelBtf() {
        ObjectSpec spec = TestObjects.open("loader_ksym_missing");
        spec.program("typeless_missing").autoload(false);
        UnresolvedExternException e = assertThrows(UnresolvedExternException.class, spec::load);
        assertEquals("reactor_bpf_no_such_rq", e.symbol());
        assertEquals("program 'typed_missing' uses typed __ksym variable 'reactor_bpf_no_such_rq', which this kernel"
                + " does not resolve: the kernel's BTF (/sys/kernel/btf/vmlinux) has no VAR 'reactor_bpf_no_such_rq'"
                + "; no module with BTF is loaded; declare it __weak to read 0 where it is missing", e.getMessage());
    }

    @Test
    void aStrongTypelessKsymTheKernelLacksIsRefusedNamingKallsyms() {
        ObjectSpec spec = TestObjects.open("loader_ksym_missing");
        spec.program("typed_missing").autoload(false);
        UnresolvedExternException e = assertThrows(UnresolvedExternException.class, spec::load);
        assertEquals("program 'typeless_missing' uses typeless __ksym 'reactor_bpf_no_such_symbol', which this"
                + " kernel does not resolve: /proc/kallsyms has no symbol 'reactor_bpf_no_such_symbol'; declare it"
                + " __weak to read 0 where it is missing", e.getMessage());
    }
}
