package io.reactorbpf.core.attach;

import io.reactorbpf.core.sys.AttachType;
import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.internal.sys.LinkCreateAttr;
import io.reactorbpf.core.sys.SyscallException;

/**
 * Attaches a {@code BPF_PROG_TYPE_TRACING} program (tp_btf, fentry, fexit, fmod_ret) to the kernel target
 * it was loaded for (see {@link KernelBtfTarget}). Stateless and thread-safe; the returned link belongs to
 * the caller.
 *
 * @since 0.1
 */
public final class Tracing {

    private Tracing() {
    }

    /**
     * Attaches {@code prog}, loaded against {@code target}, and names the link after the target.
     *
     * @param prog a loaded TRACING program, still owned by the caller
     * @param target the kernel BTF type it was loaded against
     * @return the link, owned by the caller, who closes it to detach
     * @throws AttachException naming the target when the kernel refuses the attachment
     */
    public static BpfLink attach(FileDescriptor prog, KernelBtfTarget target) {
        return attach(prog, target.attachType(), target.describe(), AttachMode.PREFER_LINK);
    }

    /**
     * Attaches {@code prog}, loaded with expected attach type {@code type}: BPF_LINK_CREATE with that type,
     * or BPF_RAW_TRACEPOINT_OPEN without a name on kernels whose BPF_LINK_CREATE does not take tracing
     * programs (before 5.10).
     *
     * @param prog a loaded TRACING program, still owned by the caller
     * @param type the expected attach type it was loaded with
     * @return the link, owned by the caller, who closes it to detach
     * @throws AttachException when {@code type} is not a tracing attach type, or the kernel refuses
     */
    public static BpfLink attach(FileDescriptor prog, AttachType type) {
        return attach(prog, type, KernelBtfTarget.kind(type) + " " + prog.what(), AttachMode.PREFER_LINK);
    }

    static BpfLink attach(FileDescriptor prog, AttachType type, String target, AttachMode mode) {
        try {
            if (mode == AttachMode.PREFER_LINK) {
                try {
                    return BpfLink.ofLink(target, Bpf.linkCreate(LinkCreateAttr.tracing(prog, type, 0)));
                } catch (SyscallException e) {
                    if (e.errno() != Errno.EINVAL) {
                        throw e;
                    }
                }
            }
            return BpfLink.ofLink(target, Bpf.rawTracepointOpen(null, prog));
        } catch (SyscallException e) {
            throw AttachException.failed(prog, target, e);
        }
    }
}
