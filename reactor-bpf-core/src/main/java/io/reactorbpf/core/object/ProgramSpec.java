package io.reactorbpf.core.object;

import io.reactorbpf.core.sys.AttachType;
import io.reactorbpf.core.sys.ProgType;

import java.util.Objects;

/**
 * A program as the object defines it, editable before {@link ObjectSpec#load()}: whether to load it, its type,
 * expected attach type and attach target. Not thread-safe; edit it on one thread before loading.
 */
public final class ProgramSpec {

    private final String name;
    private final ProgramSection section;
    private final CodeFunction entry;
    private ProgType type;
    private AttachType expectedAttachType;
    private String attachTarget;
    private boolean autoload;

    ProgramSpec(String name, ProgramSection section, CodeFunction entry) {
        this.name = name;
        this.section = section;
        this.entry = entry;
        this.type = section.type();
        this.expectedAttachType = section.expectedAttachType();
        this.attachTarget = section.target();
        this.autoload = section.autoload();
    }

    /** The function's name, which is also the kernel program name (cut to 15 bytes). */
    public String name() {
        return name;
    }

    /** What the section name says about the program. */
    public ProgramSection section() {
        return section;
    }

    public ProgType type() {
        return type;
    }

    public ProgramSpec type(ProgType programType) {
        this.type = Objects.requireNonNull(programType);
        return this;
    }

    /** The expected attach type passed to BPF_PROG_LOAD; null for none. */
    public AttachType expectedAttachType() {
        return expectedAttachType;
    }

    public ProgramSpec expectedAttachType(AttachType attachType) {
        this.expectedAttachType = attachType;
        return this;
    }

    /** What the program attaches to ("group/name", a kernel function, "path:function"); "" when the section names none. */
    public String attachTarget() {
        return attachTarget;
    }

    public ProgramSpec attachTarget(String target) {
        this.attachTarget = Objects.requireNonNull(target);
        return this;
    }

    /** Whether {@link ObjectSpec#load()} loads this program. */
    public boolean autoload() {
        return autoload;
    }

    public ProgramSpec autoload(boolean load) {
        this.autoload = load;
        return this;
    }

    /** Instructions of the program's own function (without the subprograms it calls). */
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
