package io.reactorbpf.core.object;

import io.reactorbpf.core.sys.Bpf;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.ProgType;

/**
 * A program loaded into the kernel. Owned by its {@link BpfObject}, which closes it; thread-safe.
 */
public final class BpfProgram {

    private final String name;
    private final ProgramSection section;
    private final ProgType type;
    private final String attachTarget;
    private final FileDescriptor fd;

    BpfProgram(String name, ProgramSection section, ProgType type, String attachTarget, FileDescriptor fd) {
        this.name = name;
        this.section = section;
        this.type = type;
        this.attachTarget = attachTarget;
        this.fd = fd;
    }

    public String name() {
        return name;
    }

    /** What its section name says: type, attach kind and target. */
    public ProgramSection section() {
        return section;
    }

    /** The type it was loaded as. */
    public ProgType type() {
        return type;
    }

    /** What it attaches to, as the section or {@link ProgramSpec#attachTarget(String)} said; "" for none. */
    public String attachTarget() {
        return attachTarget;
    }

    /** The program's descriptor, owned by the object: do not close it. */
    public FileDescriptor fd() {
        return fd;
    }

    /** Runs the program once in the kernel on {@code data} (BPF_PROG_TEST_RUN) and returns its return value and output. */
    public Bpf.TestRunResult testRun(byte[] data) {
        return Bpf.progTestRun(fd, data, data.length + 256, null, 1);
    }

    void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "program '" + name + "' (SEC(\"" + section.name() + "\"), " + type + ")";
    }
}
