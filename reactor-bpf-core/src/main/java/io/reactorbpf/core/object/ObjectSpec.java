package io.reactorbpf.core.object;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.internal.btf.BtfExt;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An opened BPF object, not yet in the kernel: its programs, maps and global variables, all editable until
 * {@link #load()}. Obtain it with {@link BpfObject#open}. Not thread-safe: edit and load it on one thread. It
 * holds no kernel resources; loading it twice gives two independent {@link BpfObject}s.
 *
 * @since 0.1
 */
public final class ObjectSpec {

    private final String name;
    private final Map<String, ProgramSpec> programs;
    private final Map<String, MapSpec> maps;
    private final Map<String, GlobalVariable> variables;
    private final Map<Integer, CodeSection> code;
    private final Btf btf;
    private final BtfExt ext;
    private final Map<String, KsymExtern> ksyms;
    /** The __kconfig externs, or null when the object has none. */
    private final KconfigSection kconfigSection;
    private String kconfig;
    private Map<String, String> kconfigOptions = Map.of();
    private String license;
    private int kernVersion;
    private boolean countRingBufLosses = true;
    /** Bytes; 0 until set, then the system property or the default applies. */
    private long mapMemoryLimit;
    private Btf coreTarget;

    ObjectSpec(String name, Map<String, ProgramSpec> programs, Map<String, MapSpec> maps,
               Map<String, GlobalVariable> variables, Map<Integer, CodeSection> code, String license, int kernVersion,
               Btf btf, BtfExt ext, Map<String, KsymExtern> ksyms, KconfigSection kconfigSection) {
        this.name = name;
        this.programs = programs;
        this.maps = maps;
        this.variables = variables;
        this.code = code;
        this.license = license;
        this.kernVersion = kernVersion;
        this.btf = btf;
        this.ext = ext;
        this.ksyms = ksyms;
        this.kconfigSection = kconfigSection;
    }

    /**
     * The object's name: its file name up to the first dot, or the name given to
     * {@link BpfObject#open(byte[], String)}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The program defined by function {@code name}; throws an {@link ObjectFormatException} listing the programs
     * when absent.
     *
     * @param name the program's function name
     * @return the program's editable spec
     * @throws ObjectFormatException when the object defines no such program
     */
    public ProgramSpec program(String name) {
        ProgramSpec p = programs.get(name);
        if (p == null) {
            throw new ObjectFormatException("object '" + this.name + "' has no program '" + name + "'; it has "
                    + programs.keySet());
        }
        return p;
    }

    /**
     * Every program, in section order.
     *
     * @return an unmodifiable collection of the editable specs
     */
    public Collection<ProgramSpec> programs() {
        return Collections.unmodifiableCollection(programs.values());
    }

    /**
     * The map named {@code name} (global data maps by their kernel name, e.g. "execsnoo.rodata").
     *
     * @param name the map's name
     * @return the map's editable spec
     * @throws ObjectFormatException listing the maps when the object defines no such map
     */
    public MapSpec map(String name) {
        MapSpec m = maps.get(name);
        if (m == null) {
            throw new ObjectFormatException("object '" + this.name + "' has no map '" + name + "'; it has " + maps.keySet());
        }
        return m;
    }

    /**
     * Every map, in definition order, the global data maps included.
     *
     * @return an unmodifiable collection of the editable specs
     */
    public Collection<MapSpec> maps() {
        return Collections.unmodifiableCollection(maps.values());
    }

    /**
     * The global variable {@code name}, to read or set its initial value. Throws a {@link VariableException}
     * listing the known variables when there is none by that name.
     *
     * @param name the variable's C name
     * @return the variable, backed by this spec's section contents
     * @throws VariableException when the object has no such variable
     */
    public GlobalVariable variable(String name) {
        return variable(variables, this.name, name);
    }

    /**
     * Every global variable of the object's data sections.
     *
     * @return an unmodifiable collection
     */
    public Collection<GlobalVariable> variables() {
        return Collections.unmodifiableCollection(variables.values());
    }

    /**
     * The license from the "license" section; "" when the object has none.
     *
     * @return the license passed to BPF_PROG_LOAD
     */
    public String license() {
        return license;
    }

    /**
     * Replaces the license passed to BPF_PROG_LOAD; GPL-only helpers need a GPL-compatible one.
     *
     * @param text the license, such as {@code GPL} or {@code Dual BSD/GPL}
     * @return this spec
     */
    public ObjectSpec license(String text) {
        this.license = text;
        return this;
    }

    /**
     * kern_version for BPF_PROG_LOAD: the "version" section, or the running kernel's version code.
     *
     * @return the version code
     */
    public int kernVersion() {
        return kernVersion;
    }

    /**
     * Replaces kern_version, which only kernels before 5.0 check, for kprobe programs.
     *
     * @param version a LINUX_VERSION_CODE, see {@link io.reactorbpf.core.sys.Kernel#versionCode()}
     * @return this spec
     */
    public ObjectSpec kernVersion(int version) {
        this.kernVersion = version;
        return this;
    }

    /**
     * The kernel configuration lines set with {@link #kconfig(String)}.
     *
     * @return the lines, or empty when the running kernel's configuration alone applies
     */
    public Optional<String> kconfig() {
        return Optional.ofNullable(kconfig);
    }

    /**
     * Kernel configuration lines, as {@code /boot/config-RELEASE} writes them ({@code CONFIG_HZ=250},
     * {@code # CONFIG_KPROBES is not set}), that add to and override the running kernel's configuration for the
     * object's {@code CONFIG_*} {@code __kconfig} externs at {@link #load()}, as libbpf's {@code kconfig} open
     * option does: for a kernel whose configuration is not readable here (no {@code /proc/config.gz} or
     * {@code /boot/config-RELEASE}), or, with {@link #coreTarget(Btf)}, to build for another kernel. The
     * {@code LINUX_*} externs always come from the running kernel. Replaces lines set before.
     *
     * @param lines configuration lines; comments and blank lines are ignored
     * @return this spec
     * @throws IllegalArgumentException naming a line that is not a configuration line
     * @throws ObjectFormatException when a line's value does not fit its extern's type
     */
    public ObjectSpec kconfig(String lines) {
        Map<String, String> options = Map.copyOf(KernelConfig.parseStrict(Objects.requireNonNull(lines, "lines")));
        if (kconfigSection != null) {
            kconfigSection.preview(maps.get(kconfigSection.mapName()).contents(), options);
        }
        this.kconfigOptions = options;
        this.kconfig = lines;
        return this;
    }

    /**
     * Whether {@link #load()} adds ring buffer loss counting to the programs; on unless turned off.
     *
     * @return the setting of {@link #countRingBufLosses(boolean)}
     */
    public boolean countsRingBufLosses() {
        return countRingBufLosses;
    }

    /**
     * Whether {@link #load()} counts what the programs fail to write to the object's BPF ring buffers, which the
     * kernel does not: after each {@code bpf_ringbuf_output} that fails and each {@code bpf_ringbuf_reserve} that
     * returns NULL, the program adds one to a counter in a one-entry array the loader adds (named
     * {@code <object>.rblost}), five instructions that call no helper and leave r0 and the program's registers as
     * they were. Each ring buffer map then carries its {@link io.reactorbpf.core.map.BpfMap#lossCounter()}, which
     * ring buffer readers report as lost samples. On by default; costs one compare-and-jump per successful call.
     * When some call's ring buffer is not loaded by an {@code ld_imm64} in the call's basic block (a map taken from
     * a map-in-map, say), or is a reused or pinned map that other objects may write too, nothing is counted for
     * the object: no ring buffer gets a counter that would miss losses.
     *
     * @param count false to load the programs as compiled
     * @return this spec
     */
    public ObjectSpec countRingBufLosses(boolean count) {
        this.countRingBufLosses = count;
        return this;
    }

    /**
     * The most kernel memory {@link #load()} lets any one map ask for, in bytes: a map whose estimate (entries,
     * key and value sizes as the kernel rounds them, a copy per possible CPU for per-CPU maps, the type's own
     * overhead) is larger is refused with a {@link MapMemoryLimitException} before anything is created. Defaults
     * to the system property {@code reactorbpf.mapMemoryLimit} (bytes, or with a k, m or g suffix), else 1 GiB.
     *
     * @return the limit in bytes
     * @throws IllegalArgumentException when no limit was set and the system property is malformed
     */
    public long mapMemoryLimit() {
        return mapMemoryLimit > 0 ? mapMemoryLimit : MapMemoryLimit.fromSystemProperty();
    }

    /**
     * Sets {@link #mapMemoryLimit()} for this object to {@code bytes}, which must be positive.
     *
     * @param bytes the most kernel memory one map may ask for
     * @return this spec
     * @throws IllegalArgumentException when {@code bytes} is not positive
     */
    public ObjectSpec mapMemoryLimit(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("the map memory limit must be positive, got " + bytes);
        }
        this.mapMemoryLimit = bytes;
        return this;
    }

    /**
     * The kernel BTF that {@link #load()} relocates CO-RE accesses against, when it is not the running kernel's
     * ({@code /sys/kernel/btf/vmlinux}): libbpf's {@code btf_custom_path}, cilium/ebpf's {@code KernelTypes}. Empty
     * unless set.
     *
     * @return the BTF set with {@link #coreTarget(Btf)}, or empty for the running kernel's
     */
    public Optional<Btf> coreTarget() {
        return Optional.ofNullable(coreTarget);
    }

    /**
     * Relocates CO-RE accesses against {@code kernelBtf} instead of the running kernel's BTF: for a kernel that does
     * not publish its BTF, a file such as BTFHub's for that kernel read with {@link Btf#read}. The programs then run
     * correctly only on a kernel whose types that BTF describes. {@code __ksym} externs and tracing targets are still
     * resolved against the running kernel, where the programs load.
     *
     * @param kernelBtf the target kernel's BTF, not null
     * @return this spec
     */
    public ObjectSpec coreTarget(Btf kernelBtf) {
        this.coreTarget = Objects.requireNonNull(kernelBtf, "kernelBtf");
        return this;
    }

    /**
     * The object's BTF with data section layouts completed; empty when it was compiled without -g.
     *
     * @return the BTF, for decoding the programs' records, or empty
     */
    public Optional<Btf> btf() {
        return Optional.ofNullable(btf);
    }

    /**
     * Loads the object into the kernel: the {@code __kconfig} externs' values (the running kernel's with the
     * {@link #kconfig(String)} lines over them; an {@link ObjectFormatException} names a strong extern that has
     * none), BTF, maps (with their initial contents, .rodata frozen), CO-RE relocation
     * (against {@link #coreTarget()} when set, else the running kernel's BTF), then each program with autoload on, with the {@code __ksym} externs it uses resolved on the running kernel (an
     * {@link UnresolvedExternException} names one that is not there and not {@code __weak}). On any failure everything created so far is released. A program the
     * verifier rejects gives a {@link ProgramLoadException}; a tracing program whose target the kernel BTF lacks an
     * {@link io.reactorbpf.core.attach.AttachTargetNotFoundException}; an fentry/fexit/fmod_ret program on a kernel
     * that refuses them all (see {@link io.reactorbpf.core.attach.FunctionTracing}) an
     * {@link io.reactorbpf.core.attach.UnsupportedAttachException}; each names the program and its section. A map
     * above {@link #mapMemoryLimit()} gives a {@link MapMemoryLimitException}, and one with a max_entries or value_size
     * the object left at 0 for its tool to set an {@link InvalidSpecException} naming it, before any syscall is made.
     *
     * @return the loaded object, owned by the caller, who closes it to release every program, map and link
     * @throws ProgramLoadException when the verifier rejects a program, with its log
     * @throws io.reactorbpf.core.attach.AttachTargetNotFoundException when a tracing program's target is missing
     *         from the kernel BTF
     * @throws io.reactorbpf.core.attach.UnsupportedAttachException when the kernel refuses fentry, fexit and fmod_ret
     * @throws UnresolvedExternException when a strong {@code __ksym} extern is not on the running kernel
     * @throws MapMemoryLimitException when a map would ask for more than {@link #mapMemoryLimit()}
     * @throws InvalidSpecException when a map is left unsized
     * @throws ObjectFormatException when a strong {@code __kconfig} extern has no value
     * @throws io.reactorbpf.core.btf.CoreRelocationException when a CO-RE relocation is malformed (one that merely
     *         finds no match poisons its instruction, as libbpf does)
     * @throws io.reactorbpf.core.sys.SyscallException when another syscall fails, such as a map's creation
     */
    public BpfObject load() {
        return ObjectLoader.load(this);
    }

    static GlobalVariable variable(Map<String, GlobalVariable> variables, String object, String name) {
        GlobalVariable v = variables.get(name);
        if (v == null) {
            throw new VariableException("object '" + object + "' has no global variable '" + name + "'; it has "
                    + variables.keySet());
        }
        return v;
    }

    /** Writes the __kconfig externs' values into the .kconfig map's contents, refusing a strong one without any. */
    void fillKconfig() {
        if (kconfigSection != null) {
            kconfigSection.fill(maps.get(kconfigSection.mapName()).contents(), kconfigOptions);
        }
    }

    Map<Integer, CodeSection> code() {
        return code;
    }

    BtfExt ext() {
        return ext;
    }

    /** The __ksym externs by name, resolved at load. */
    Map<String, KsymExtern> ksyms() {
        return ksyms;
    }
}
