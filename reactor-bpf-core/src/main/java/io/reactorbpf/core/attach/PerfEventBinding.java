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
        return attach(prog, attr, pid, cpu, target, mode, 0, false);
    }

    /**
     * As {@link #attach(FileDescriptor, PerfEventAttr, int, int, String, AttachMode)} through a perf event link
     * carrying {@code cookie}, which the program reads with bpf_get_attach_cookie(); throws an
     * {@link UnsupportedAttachException} where the kernel has no perf event links (before 5.15).
     */
    static BpfLink attachWithCookie(FileDescriptor prog, PerfEventAttr attr, int pid, int cpu, String target,
                                    long cookie) {
        return attach(prog, attr, pid, cpu, target, AttachMode.PREFER_LINK, cookie, true);
    }

    private static BpfLink attach(FileDescriptor prog, PerfEventAttr attr, int pid, int cpu, String target,
                                  AttachMode mode, long cookie, boolean cookieRequired) {
        FileDescriptor event;
        try {
            event = PerfEvent.open(attr, pid, cpu, -1);
        } catch (SyscallException e) {
            throw AttachException.failed(prog, target, e);
        }
        try {
            return bind(prog, event, target, mode, cookie, cookieRequired);
        } catch (SyscallException e) {
            event.close();
            throw AttachException.failed(prog, target, e);
        } catch (RuntimeException e) {
            event.close();
            throw e;
        }
    }

    private static BpfLink bind(FileDescriptor prog, FileDescriptor event, String target, AttachMode mode,
                                long cookie, boolean cookieRequired) {
        if (mode == AttachMode.PREFER_LINK) {
            try {
                FileDescriptor link = Bpf.linkCreate(LinkCreateAttr.perfEvent(prog, event.fd(), cookie));
                return BpfLink.ofPerfEvent(target, link, event);
            } catch (SyscallException e) {
                if (!linksUnsupported(e.errno())) {
                    throw e;
                }
                if (cookieRequired) {
                    throw new UnsupportedAttachException(target + ": a BPF cookie needs a perf event link"
                            + " (BPF_LINK_CREATE on a perf event, Linux 5.15), which this kernel refuses with "
                            + e.errno().name(), e);
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
