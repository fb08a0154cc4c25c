package io.reactorbpf.core.object;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfKind;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.internal.btf.CoreCompat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Resolves an object's {@code __ksym} externs on the running kernel, as libbpf's {@code bpf_object__resolve_externs}
 * does, when a program that uses one is linked: a typed variable or a kfunc to its id in the kernel's BTF (a VAR or
 * FUNC of that name whose type is compatible with the object's), a typeless one to its address in
 * {@code /proc/kallsyms}. A {@code __weak} extern the kernel lacks resolves to nothing (address 0, a kfunc call that
 * fails verification only if it is reached); any other gets an {@link UnresolvedExternException}. Kernel BTF and
 * kallsyms are read once, on first need. A typed extern vmlinux lacks is looked for in the loaded modules' BTF, as
 * libbpf does; a module that provides one gets a slot in the programs' {@code fd_array} ({@link #fdArray()}), and
 * its descriptor is held until {@link #close()}, after the programs are loaded. Used once per load, on the loading
 * thread.
 */
final class KsymResolver implements AutoCloseable {

    /**
     * What an extern resolved to: a kernel BTF id, or an address (0 for a missing weak one); for an id in a module's
     * BTF, that BTF's descriptor and its index in {@link #fdArray()} (both 0 for vmlinux).
     */
    record Resolution(int btfId, long address, int btfFd, int fdIndex) {

        Resolution(int btfId, long address) {
            this(btfId, address, 0, 0);
        }

        boolean found() {
            return btfId > 0 || address != 0;
        }
    }

    private final Map<String, KsymExtern> externs;
    private final Btf objectBtf;
    private final Supplier<Btf> kernelBtf;
    private final Function<Btf, ModuleBtfs> moduleBtfs;
    private final Path kallsyms;
    /** fd_array: 0 (vmlinux's slot), then the descriptor of each module BTF an extern resolved in. */
    private final List<Integer> fdArray = new ArrayList<>(List.of(0));
    private ModuleBtfs modules;
    private final Map<String, Resolution> resolved = new HashMap<>();
    private Map<String, List<Long>> addresses;

    KsymResolver(Map<String, KsymExtern> externs, Btf objectBtf, Supplier<Btf> kernelBtf,
                 Function<Btf, ModuleBtfs> moduleBtfs, Path kallsyms) {
        this.externs = externs;
        this.objectBtf = objectBtf;
        this.kernelBtf = kernelBtf;
        this.moduleBtfs = moduleBtfs;
        this.kallsyms = kallsyms;
    }

    /** Against the running kernel: /sys/kernel/btf/vmlinux, its loaded modules' BTF and /proc/kallsyms. */
    static KsymResolver running(ObjectSpec spec) {
        return new KsymResolver(spec.ksyms(), spec.btf().orElse(null), Btf::vmlinux, ModuleBtfs::running,
                KernelSymbols.KALLSYMS);
    }

    /** The fd_array the programs load with: null while every resolved id is vmlinux's. */
    int[] fdArray() {
        return fdArray.size() == 1 ? null : fdArray.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Releases the module BTF descriptors; the loaded programs keep their own references. */
    @Override
    public void close() {
        if (modules != null) {
            modules.close();
        }
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
        Btf vmlinux = kernelBtf.get();
        BtfKind kind = e.function() ? BtfKind.FUNC : BtfKind.VAR;
        OptionalInt id = vmlinux.findByName(e.name(), kind);
        if (id.isPresent()) {
            return checked(program, e, vmlinux, id.getAsInt(), null);
        }
        if (modules == null) {
            modules = moduleBtfs.apply(vmlinux);
        }
        for (ModuleBtfs.Module m : modules.modules()) {
            // a module's own types follow vmlinux's ids in its split BTF
            OptionalInt inModule = m.btf().findByName(e.name(), kind);
            if (inModule.isPresent() && inModule.getAsInt() >= m.btf().firstTypeId()) {
                return checked(program, e, m.btf(), inModule.getAsInt(), m);
            }
        }
        if (e.weak()) {
            return new Resolution(0, 0);
        }
        String searched = modules.unlisted().map(why -> "; module BTF was not searched: " + why)
                .orElse(modules.modules().isEmpty() ? "; no module with BTF is loaded"
                        : " nor the BTF of modules " + modules.modules().stream().map(ModuleBtfs.Module::name)
                        .collect(Collectors.joining(", ")));
        throw unresolved(program, e, "the kernel's BTF (/sys/kernel/btf/vmlinux) has no " + kind + " '" + e.name()
                + "'" + searched + "; declare it __weak to read 0 where it is missing");
    }

    /** The resolution to {@code id} in {@code kernel} (vmlinux, or {@code module}'s BTF) once its type is checked. */
    private Resolution checked(String program, KsymExtern e, Btf kernel, int id, ModuleBtfs.Module module) {
        BtfType target = kernel.type(id);
        int targetType = e.function() ? ((BtfType.Func) target).type()
                : kernel.skipModsAndTypedefs(((BtfType.Var) target).type());
        if (!CoreCompat.typesAreCompatible(objectBtf, e.localTypeId(), kernel, targetType)) {
            if (e.function() && e.weak()) {
                return new Resolution(0, 0);
            }
            throw unresolved(program, e, "the object declares it as " + objectBtf.describe(e.localTypeId())
                    + ", but the " + (module == null ? "kernel's" : "module " + module.name() + "'s") + " BTF has "
                    + kernel.describe(targetType));
        }
        if (module == null) {
            return new Resolution(id, 0);
        }
        int fd = module.fd().fd();
        int index = fdArray.indexOf(fd);
        if (index < 0) {
            index = fdArray.size();
            fdArray.add(fd);
        }
        return new Resolution(id, 0, fd, index);
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
