package io.reactorbpf.core.attach;

import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.SyscallException;

/**
 * Attaches a {@code BPF_PROG_TYPE_RAW_TRACEPOINT} program ({@code SEC("raw_tp/NAME")}) with
 * BPF_RAW_TRACEPOINT_OPEN. Stateless and thread-safe; the returned link belongs to the caller.
 *
 * @since 0.1
 */
public final class RawTracepoint {

    private RawTracepoint() {
    }

    /**
     * Attaches {@code prog} to raw tracepoint {@code name} (e.g. "sys_enter", "sched_switch"). Throws an
     * {@link AttachTargetNotFoundException} when the kernel has no tracepoint of that name.
     *
     * @param prog a loaded RAW_TRACEPOINT program, still owned by the caller
     * @param name the tracepoint's name without its group
     * @return the link, owned by the caller, who closes it to detach
     * @throws AttachTargetNotFoundException when the kernel has no raw tracepoint of that name
     * @throws AttachException when BPF_RAW_TRACEPOINT_OPEN refuses for another reason
     */
    public static BpfLink attach(FileDescriptor prog, String name) {
        String target = "raw_tracepoint " + name;
        try {
            return BpfLink.ofLink(target, Bpf.rawTracepointOpen(name, prog));
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENOENT) {
                throw new AttachTargetNotFoundException("cannot attach " + prog.what() + ": the kernel has no raw tracepoint '"
                        + name + "' (raw tracepoints are named without their group, e.g. sys_enter or sched_switch; "
                        + "list them with: ls /sys/kernel/tracing/events/*/)");
            }
            throw AttachException.failed(prog, target, e);
        }
    }
}
