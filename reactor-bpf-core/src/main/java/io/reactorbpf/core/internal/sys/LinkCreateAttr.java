package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.AttachType;

/**
 * What BPF_LINK_CREATE needs: the program, the target (a perf event fd, a cgroup fd, or 0 for BTF targets),
 * the attach type, and for tracing programs the target BTF id; a cookie the program reads with
 * bpf_get_attach_cookie().
 */
public record LinkCreateAttr(FileDescriptor prog, int targetFd, int attachType, int flags, int targetBtfId, long cookie) {

    /** A link of {@code prog} to the perf event {@code perfEventFd} (tracepoint, kprobe, uprobe, perf_event). */
    public static LinkCreateAttr perfEvent(FileDescriptor prog, int perfEventFd, long cookie) {
        return new LinkCreateAttr(prog, perfEventFd, AttachType.PERF_EVENT.value(), 0, 0, cookie);
    }

    /** A link of a tp_btf, fentry, fexit or fmod_ret program to the target it was loaded for. */
    public static LinkCreateAttr tracing(FileDescriptor prog, AttachType type, long cookie) {
        return new LinkCreateAttr(prog, 0, type.value(), 0, 0, cookie);
    }
}
