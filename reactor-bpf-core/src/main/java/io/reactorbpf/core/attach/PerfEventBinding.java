package io.reactorbpf.core.attach;

import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.internal.sys.LinkCreateAttr;
import io.reactorbpf.core.internal.sys.PerfEvent;
import io.reactorbpf.core.sys.PerfEventAttr;
import io.reactorbpf.core.sys.SyscallException;

/**
 * Opens a perf event and binds a program to it, the step tracepoints, uprobes, kprobes and perf_event
 * programs share. Stateless and thread-safe.
 */
final class PerfEventBinding {

    private PerfEventBinding() {
    }

    /**
     * perf_event_open({@code attr}, {@code pid}, {@code cpu}), then BPF_LINK_CREATE on the event, or
     * PERF_EVENT_IOC_SET_BPF and PERF_EVENT_IOC_ENABLE where the kernel has no perf event links (before
     * 5.15) or {@code mode} asks for it. The event is closed again when binding fails.
     */
    static BpfLink attach(FileDescriptor prog, PerfEventAttr attr, int pid, int cpu, String target, AttachMode mode) {
        FileDescriptor event;
        try {
            event = PerfEvent.open(attr, pid, cpu, -1);
        } catch (SyscallException e) {
            throw AttachException.failed(prog, target, e);
        }
        try {
            return bind(prog, event, target, mode);
        } catch (SyscallException e) {
            event.close();
            throw AttachException.failed(prog, target, e);
        } catch (RuntimeException e) {
            event.close();
            throw e;
        }
    }

    private static BpfLink bind(FileDescriptor prog, FileDescriptor event, String target, AttachMode mode) {
        if (mode == AttachMode.PREFER_LINK) {
            try {
                FileDescriptor link = Bpf.linkCreate(LinkCreateAttr.perfEvent(prog, event.fd(), 0));
                return BpfLink.ofPerfEvent(target, link, event);
            } catch (SyscallException e) {
                if (!linksUnsupported(e.errno())) {
                    throw e;
                }
            }
        }
        PerfEvent.setBpf(event, prog);
        PerfEvent.enable(event);
        return BpfLink.ofPerfEvent(target, null, event);
    }

    /** The answers of kernels that know BPF_LINK_CREATE but not for perf events (or not at all). */
    private static boolean linksUnsupported(Errno errno) {
        return errno == Errno.EINVAL || errno == Errno.EOPNOTSUPP || errno == Errno.ENOTSUPP
                || errno == Errno.ENOSYS;
    }
}
