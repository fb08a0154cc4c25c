package io.reactorbpf.core.object;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfKind;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.internal.btf.CoreCompat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Resolves an object's {@code __ksym} externs on the running kernel, as libbpf's {@code bpf_object__resolve_externs}
 * does, when a program that uses one is linked: a typed variable or a kfunc to its id in the kernel's BTF (a VAR or
 * FUNC of that name whose type is compatible with the object's), a typeless one to its address in
 * {@code /proc/kallsyms}. A {@code __weak} extern the kernel lacks resolves to nothing (address 0, a kfunc call that
 * fails verification only if it is reached); any other gets an {@link UnresolvedExternException}. Kernel BTF and
 * kallsyms are read once, on first need. Module BTF is not searched. Used once per load, on the loading thread.
 */
final class KsymResolver {

    /** What an extern resolved to: a kernel BTF id, or an address (0 for a missing weak one). */
    record Resolution(int btfId, long address) {

        boolean found() {
            return btfId > 0 || address != 0;
        }
    }

    private final Map<String, KsymExtern> externs;
    private final Btf objectBtf;
    private final Supplier<Btf> kernelBtf;
    private final Path kallsyms;
    private final Map<String, Resolution> resolved = new HashMap<>();
    private Map<String, List<Long>> addresses;

    KsymResolver(Map<String, KsymExtern> externs, Btf objectBtf, Supplier<Btf> kernelBtf, Path kallsyms) {
        this.externs = externs;
        this.objectBtf = objectBtf;
        this.kernelBtf = kernelBtf;
        this.kallsyms = kallsyms;
    }

    /** Against the running kernel: /sys/kernel/btf/vmlinux and /proc/kallsyms. */
    static KsymResolver running(ObjectSpec spec) {
        return new KsymResolver(spec.ksyms(), spec.btf().orElse(null), Btf::vmlinux, KernelSymbols.KALLSYMS);
    }

    /** Extern {@code name}, used by {@code program}, on this kernel. */
    Resolution resolve(String program, String name) {
        Resolution r = resolved.get(name);
        if (r == null) {
            KsymExtern e = externs.get(name);
            r = e.typed() ? byBtf(program, e) : byAddress(program, e);
            resolved.put(name, r);
        }
        return r;
    }

    private Resolution byBtf(String program, KsymExtern e) {
        Btf kernel = kernelBtf.get();
        OptionalInt id = kernel.findByName(e.name(), e.function() ? BtfKind.FUNC : BtfKind.VAR);
        if (id.isEmpty()) {
            if (e.weak()) {
                return new Resolution(0, 0);
            }
            throw unresolved(program, e, "the kernel's BTF (/sys/kernel/btf/vmlinux) has no " + (e.function() ? "FUNC"
                    : "VAR") + " '" + e.name() + "' (module BTF is not searched); declare it __weak to read 0 where it"
                    + " is missing");
        }
        BtfType target = kernel.type(id.getAsInt());
        int targetType = e.function() ? ((BtfType.Func) target).type()
                : kernel.skipModsAndTypedefs(((BtfType.Var) target).type());
        if (!CoreCompat.typesAreCompatible(objectBtf, e.localTypeId(), kernel, targetType)) {
            if (e.function() && e.weak()) {
                return new Resolution(0, 0);
            }
            throw unresolved(program, e, "the object declares it as " + objectBtf.describe(e.localTypeId())
                    + ", but the kernel's BTF has " + kernel.describe(targetType));
        }
        return new Resolution(id.getAsInt(), 0);
    }

    private Resolution byAddress(String program, KsymExtern e) {
        if (addresses == null) {
            Set<String> typeless = externs.values().stream().filter(x -> !x.typed()).map(KsymExtern::name)
                    .collect(Collectors.toSet());
            addresses = KernelSymbols.addresses(kallsyms, typeless);
        }
        List<Long> found = addresses.getOrDefault(e.name(), List.of());
        Set<Long> distinct = new TreeSet<>(found);
        if (distinct.size() > 1) {
            throw unresolved(program, e, kallsyms + " lists it at " + distinct.size() + " addresses ("
                    + distinct.stream().map(a -> "0x" + Long.toHexString(a)).collect(Collectors.joining(", "))
                    + "), so which one is meant is ambiguous");
        }
        if (distinct.isEmpty()) {
            if (e.weak()) {
                return new Resolution(0, 0);
            }
            throw unresolved(program, e, kallsyms + " has no symbol '" + e.name() + "'; declare it __weak to read 0"
                    + " where it is missing");
        }
        long address = distinct.iterator().next();
        if (address == 0 && !e.weak()) {
            throw unresolved(program, e, kallsyms + " shows it at address 0: kernel.kptr_restrict hides kernel addresses"
                    + " from this process (load as root, or with CAP_SYSLOG)");
        }
        return new Resolution(0, address);
    }

    private static UnresolvedExternException unresolved(String program, KsymExtern e, String why) {
        return new UnresolvedExternException(e.name(), "program '" + program + "' uses " + e.describe()
                + ", which this kernel does not resolve: " + why);
    }
}
