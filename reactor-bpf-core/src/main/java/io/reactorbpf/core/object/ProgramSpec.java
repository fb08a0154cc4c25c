package io.reactorbpf.core.object;

import io.reactorbpf.core.attach.AttachException;
import io.reactorbpf.core.attach.AttachTargetNotFoundException;
import io.reactorbpf.core.sys.AttachType;
import io.reactorbpf.core.sys.ProgType;

import java.util.Objects;

/**
 * A program as the object defines it, editable before {@link ObjectSpec#load()}: whether to load it, its type,
 * expected attach type, and how and where {@link BpfProgram#attach()} attaches it. These are the choices libbpf's
 * {@code bpf_program__set_autoload}, {@code __set_type}, {@code __set_expected_attach_type} and the
 * {@code bpf_program__attach_*} calls with explicit targets let a tool make at run time. Not thread-safe; edit it
 * on one thread before loading.
 *
 * @since 0.1
 */
public final class ProgramSpec {

    private final String name;
    private final ProgramSection section;
    private final CodeFunction entry;
    private ProgType type;
    private AttachType expectedAttachType;
    private AttachKind attachKind;
    private String attachTarget;
    private boolean autoload;

    ProgramSpec(String name, ProgramSection section, CodeFunction entry) {
        this.name = name;
        this.section = section;
        this.entry = entry;
        this.type = section.type();
        this.expectedAttachType = section.expectedAttachType();
        this.attachKind = section.attach();
        this.attachTarget = section.target();
        this.autoload = section.autoload();
    }

    /**
     * The function's name, which is also the kernel program name (cut to 15 bytes).
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * What the section name says about the program.
     *
     * @return the parsed section
     */
    public ProgramSection section() {
        return section;
    }

    /**
     * The program type {@link ObjectSpec#load()} passes to BPF_PROG_LOAD: the section's unless changed.
     *
     * @return the type
     */
    public ProgType type() {
        return type;
    }

    /**
     * Loads the program as another type, as libbpf's {@code bpf_program__set_type}.
     *
     * @param programType the type
     * @return this spec
     */
    public ProgramSpec type(ProgType programType) {
        this.type = Objects.requireNonNull(programType);
        return this;
    }

    /**
     * The expected attach type passed to BPF_PROG_LOAD; null for none.
     *
     * @return the expected attach type, or null
     */
    public AttachType expectedAttachType() {
        return expectedAttachType;
    }

    /**
     * Loads the program with another expected attach type, as libbpf's {@code bpf_program__set_expected_attach_type};
     * the kernel checks the program against it and refuses other attachments.
     *
     * @param attachType the expected attach type, or null for none
     * @return this spec
     */
    public ProgramSpec expectedAttachType(AttachType attachType) {
        this.expectedAttachType = attachType;
        return this;
    }

    /**
     * What the program attaches to ("group/name", a kernel function, "path:function"); "" when the section names
     * none.
     *
     * @return the target, in the form {@link #attachKind()} reads
     */
    public String attachTarget() {
        return attachTarget;
    }

    /**
     * Sets what the program attaches to, keeping {@link #attachKind()}; the target is read when it attaches.
     *
     * @param target the target, in the form {@link #attachKind()} reads
     * @return this spec
     */
    public ProgramSpec attachTarget(String target) {
        this.attachTarget = Objects.requireNonNull(target);
        return this;
    }

    /**
     * How {@link BpfProgram#attach()} attaches the program: as its section says unless {@link #attach} changed it.
     *
     * @return the attach kind
     */
    public AttachKind attachKind() {
        return attachKind;
    }

    /**
     * Attaches the program as {@code kind} to {@code target} instead of as its section says, the way a tool calls
     * libbpf's {@code bpf_program__attach_uprobe} or {@code __attach_tracepoint} with a target it chose: a
     * {@code SEC("kprobe/dummy")} or bare {@code SEC("uprobe")} program as a {@link AttachKind#UPROBE} on
     * {@code "BINARY:FUNCTION[+OFFSET]"} (a BINARY without '/' is looked up in the library directories or PATH),
     * a tracepoint program on another {@code "GROUP/NAME"}. {@link BpfObject#attachAll()} then attaches it there.
     * Checked now, before anything is loaded: throws an {@link InvalidSpecException} naming the program when
     * {@code kind} does not take a program of this {@link #type()} (uprobes and kprobes take KPROBE programs,
     * tracepoints TRACEPOINT ones, raw tracepoints RAW_TRACEPOINT ones, tp_btf/fentry/fexit TRACING ones), is
     * {@link AttachKind#NONE}, or {@code target} is not what {@code kind} reads; an
     * {@link AttachTargetNotFoundException} naming the program when a uprobe's BINARY named without '/'
     * is nowhere to be found. Whether the function or tracepoint exists is found out when it attaches.
     *
     * @param kind how to attach it
     * @param target where, in the form {@code kind} reads
     * @return this spec
     * @throws InvalidSpecException when {@code kind} does not take this program's type, is NONE, or
     *         {@code target} is malformed
     * @throws AttachTargetNotFoundException when a uprobe's binary named without '/' is nowhere to be found
     */
    public ProgramSpec attach(AttachKind kind, String target) {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(target);
        if (!SectionAttach.fits(kind, type)) {
            throw new InvalidSpecException("program '" + name + "' is a " + type + " program; " + (kind == AttachKind.NONE
                    ? "NONE attaches nothing (turn autoload off to skip the program)"
                    : "a " + kind + " attach takes a " + SectionAttach.programTypes(kind) + " program"));
        }
        try {
            SectionAttach.checkTarget(kind, target);
        } catch (AttachTargetNotFoundException e) {
            throw SectionAttach.naming(name, section.name(), e);
        } catch (AttachException e) {
            throw new InvalidSpecException("program '" + name + "' cannot attach as " + kind + ": " + e.getMessage(), e);
        }
        this.attachKind = kind;
        this.attachTarget = target;
        return this;
    }

    /**
     * Whether {@link ObjectSpec#load()} loads this program.
     *
     * @return the autoload setting
     */
    public boolean autoload() {
        return autoload;
    }

    /**
     * Whether {@link ObjectSpec#load()} loads this program, as libbpf's {@code bpf_program__set_autoload}: one
     * turned off is neither loaded nor attached, and the loaded object lists it in {@link BpfObject#notLoaded()}.
     * A section name starting with '?' turns it off by default.
     *
     * @param load false to leave the program out of the load
     * @return this spec
     */
    public ProgramSpec autoload(boolean load) {
        this.autoload = load;
        return this;
    }

    /**
     * Instructions of the program's own function (without the subprograms it calls).
     *
     * @return the number of 8-byte instruction slots
     */
    public int instructionCount() {
        return entry.size() / 8;
    }

    CodeFunction entry() {
        return entry;
    }

    @Override
    public String toString() {
        return "program '" + name + "' (SEC(\"" + section.name() + "\"), " + type + ")";
    }
}
