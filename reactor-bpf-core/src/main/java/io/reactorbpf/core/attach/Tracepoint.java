package io.reactorbpf.core.attach;

import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.PerfEventAttr;
import io.reactorbpf.core.internal.sys.TraceFs;

/**
 * Attaches a {@code BPF_PROG_TYPE_TRACEPOINT} program ({@code SEC("tracepoint/GROUP/NAME")}) to a tracefs
 * tracepoint. Stateless and thread-safe; the returned link belongs to the caller.
 *
 * @since 0.1
 */
public final class Tracepoint {

    private Tracepoint() {
    }

    /**
     * Opens the tracepoint's perf event (id from tracefs, every process, CPU 0: a tracepoint program runs on
     * every CPU whatever the event's CPU) and binds {@code prog} to it with a BPF link, or with
     * PERF_EVENT_IOC_SET_BPF on kernels without perf event links. Throws a {@link io.reactorbpf.core.BpfException}
     * naming the tracepoint when the kernel has none of that name, an {@link AttachException} when the kernel
     * refuses the program.
     *
     * @param prog a loaded TRACEPOINT program, still owned by the caller
     * @param group the tracepoint's group, such as {@code syscalls}
     * @param name the tracepoint's name in its group, such as {@code sys_enter_execve}
     * @return the link, owned by the caller, who closes it to detach
     * @throws io.reactorbpf.core.BpfException when tracefs has no such tracepoint, or tracefs is not mounted or
     *         not readable ({@link io.reactorbpf.core.sys.FilesystemNotMountedException},
     *         {@link io.reactorbpf.core.sys.FilesystemAccessException})
     * @throws AttachException when perf_event_open or the binding fails
     */
    public static BpfLink attach(FileDescriptor prog, String group, String name) {
        return attach(prog, group, name, AttachMode.PREFER_LINK);
    }

    static BpfLink attach(FileDescriptor prog, String group, String name, AttachMode mode) {
        long id = TraceFs.tracepointId(group, name);
        return PerfEventBinding.attach(prog, PerfEventAttr.of(PerfEventAttr.TYPE_TRACEPOINT, id), -1, 0,
                "tracepoint " + group + ":" + name, mode);
    }
}
