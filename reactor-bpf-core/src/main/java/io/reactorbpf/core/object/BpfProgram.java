package io.reactorbpf.core.object;

import io.reactorbpf.core.sys.TestRunResult;
import io.reactorbpf.core.BpfException;
import io.reactorbpf.core.attach.AttachException;
import io.reactorbpf.core.attach.BpfLink;
import io.reactorbpf.core.attach.Usdt;
import io.reactorbpf.core.attach.UsdtSpecs;
import io.reactorbpf.core.attach.UsdtTarget;
import io.reactorbpf.core.attach.KernelBtfTarget;
import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.ProgType;

import java.util.Optional;

/**
 * A program loaded into the kernel. Owned by its {@link BpfObject}, which closes it; thread-safe.
 *
 * @since 0.1
 */
public final class BpfProgram {

    private final String name;
    private final ProgramSection section;
    private final ProgType type;
    private final AttachKind attachKind;
    private final String attachTarget;
    private final KernelBtfTarget kernelBtfTarget;
    private final FileDescriptor fd;
    /** The object's USDT spec table; null when the object defines no __bpf_usdt_specs map. */
    private final UsdtSpecs usdtSpecs;

    BpfProgram(String name, ProgramSection section, ProgType type, AttachKind attachKind, String attachTarget,
               KernelBtfTarget kernelBtfTarget, FileDescriptor fd, UsdtSpecs usdtSpecs) {
        this.name = name;
        this.section = section;
        this.type = type;
        this.attachKind = attachKind;
        this.attachTarget = attachTarget;
        this.kernelBtfTarget = kernelBtfTarget;
        this.fd = fd;
        this.usdtSpecs = usdtSpecs;
    }

    /**
     * The program's function name; the kernel keeps its first 15 bytes.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * What its section name says: type, attach kind and target.
     *
     * @return the parsed section
     */
    public ProgramSection section() {
        return section;
    }

    /**
     * The type it was loaded as.
     *
     * @return the program type passed to BPF_PROG_LOAD
     */
    public ProgType type() {
        return type;
    }

    /**
     * How {@link #attach()} attaches it: as its section says, or as {@link ProgramSpec#attach} chose.
     *
     * @return the attach kind, {@link AttachKind#NONE} when it is not auto-attached
     */
    public AttachKind attachKind() {
        return attachKind;
    }

    /**
     * What it attaches to, as the section or {@link ProgramSpec#attachTarget(String)} said; "" for none.
     *
     * @return the target, in the form {@link #attachKind()} reads
     */
    public String attachTarget() {
        return attachTarget;
    }

    /**
     * The kernel BTF type a tracing program (tp_btf, fentry, fexit, fmod_ret) was loaded against; empty for other
     * programs.
     *
     * @return the target, or empty
     */
    public Optional<KernelBtfTarget> kernelBtfTarget() {
        return Optional.ofNullable(kernelBtfTarget);
    }

    /**
     * Whether {@link #attach()} knows where to attach this program: its section is a tracepoint, raw_tp, tp_btf,
     * fentry, fexit, fmod_ret, kprobe, kretprobe, uprobe or uretprobe one and names a target (or one was set with
     * {@link ProgramSpec#attachTarget(String)} before load).
     *
     * @return true when {@link #attach()} would try to attach rather than throw {@link NoAutoAttachException}
     */
    public boolean hasAutoAttachTarget() {
        return SectionAttach.hasTarget(this);
    }

    /**
     * Why {@link #attach()} cannot attach this program by its section, as the {@link NoAutoAttachException} it
     * would throw says it (what to call instead); empty when it can.
     *
     * @return the refusal's message, or empty
     */
    public Optional<String> autoAttachRefusal() {
        return hasAutoAttachTarget() ? Optional.empty()
                : Optional.of(new NoAutoAttachException(name(), section().name(), SectionAttach.instead(this)).getMessage());
    }

    /**
     * Attaches the program where its section says (or {@link ProgramSpec#attach} chose before load), as libbpf's
     * {@code bpf_program__attach} does: tracepoint/tp
     * with {@link io.reactorbpf.core.attach.Tracepoint}, raw_tracepoint/raw_tp with
     * {@link io.reactorbpf.core.attach.RawTracepoint}, tp_btf/fentry/fexit/fmod_ret with
     * {@link io.reactorbpf.core.attach.Tracing} on {@link #kernelBtfTarget()}, kprobe/kretprobe
     * ("FUNCTION[+OFFSET]") with {@link io.reactorbpf.core.attach.Kprobe}, uprobe/uretprobe
     * ("PATH:FUNCTION[+OFFSET]") with {@link io.reactorbpf.core.attach.Uprobe} in every process. The link belongs
     * to the caller, who closes it to detach; closing the object does not. Throws a {@link NoAutoAttachException}
     * saying what to call instead when the program has no auto-attach target, an
     * {@link io.reactorbpf.core.attach.AttachException} (or subtype) naming the program and section when attaching fails.
     *
     * @return a new link, owned by the caller
     * @throws NoAutoAttachException when the program has no auto-attach target
     * @throws io.reactorbpf.core.attach.AttachException naming the program and section when attaching fails
     */
    public BpfLink attach() {
        return SectionAttach.attach(this);
    }

    /**
     * As {@link #attach()}, with a uprobe, uretprobe or USDT program firing only in process {@code pid}, as a libbpf
     * tool's {@code -p PID} limits them; programs of the other kinds are not per process and attach as
     * {@link #attach()} attaches them. Any thread.
     *
     * @param pid the process the probe fires in, or -1 for every process
     * @return a new link, owned by the caller
     * @throws NoAutoAttachException when the program has no auto-attach target
     * @throws io.reactorbpf.core.attach.AttachException naming the program and section when attaching fails
     */
    public BpfLink attach(int pid) {
        return SectionAttach.attach(this, pid);
    }

    /**
     * Attaches the program to a USDT probe, as libbpf's {@code bpf_program__attach_usdt} does: a uprobe on each site
     * of the probe, with the probe's argument specs written to the object's {@code __bpf_usdt_specs} map so that the
     * program's {@code bpf_usdt_arg()} and {@code bpf_usdt_cookie()} work (see {@link Usdt}). Any thread. The link
     * belongs to the caller, who closes it to detach; closing the object does not.
     *
     * @param target the binary, provider and probe name
     * @param pid the process to probe, or -1 for every process that runs the binary
     * @param cookie what the program's bpf_usdt_cookie() returns for this attachment
     * @return a new link over every site of the probe, owned by the caller
     * @throws io.reactorbpf.core.attach.AttachException naming the program and section when the object was not
     *     built with bpf/usdt.bpf.h, or attaching fails (of the subtype {@link Usdt#attach} throws)
     */
    public BpfLink attachUsdt(UsdtTarget target, int pid, long cookie) {
        try {
            return usdt(target, pid, cookie);
        } catch (BpfException e) {
            throw SectionAttach.naming(name, section.name(), e);
        }
    }

    /** {@link #attachUsdt} with errors that do not name the program yet. */
    BpfLink usdt(UsdtTarget target, int pid, long cookie) {
        if (usdtSpecs == null) {
            throw new AttachException("its object defines no " + UsdtSpecs.MAP + " map, where a USDT program finds"
                    + " its argument specs; build it with #include <bpf/usdt.bpf.h> and BPF_USDT, or attach it as a"
                    + " plain uprobe with Uprobe.attach");
        }
        return Usdt.attach(fd, target, pid, cookie, usdtSpecs);
    }

    /**
     * The program's descriptor, owned by the object: do not close it.
     *
     * @return the descriptor, valid until the object is closed
     */
    public FileDescriptor fd() {
        return fd;
    }

    /**
     * Runs the program once in the kernel on {@code data} (BPF_PROG_TEST_RUN) and returns its return value and
     * output. Only program types the kernel can test-run take it (socket filters, tc, XDP, raw tracepoints, ...).
     *
     * @param data the input: a packet for network programs
     * @return the program's return value, its output data (up to 256 bytes more than the input) and duration
     * @throws io.reactorbpf.core.sys.SyscallException when the kernel refuses: ENOTSUPP or EINVAL for a program
     *         type it cannot test-run
     */
    public TestRunResult testRun(byte[] data) {
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
