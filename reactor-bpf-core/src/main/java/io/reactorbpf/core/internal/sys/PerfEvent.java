package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.SyscallException;
import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.PerfEventAttr;
import java.lang.ref.Reference;

/**
 * perf_event_open(2) and the perf event ioctls. Stateless and thread-safe; the descriptors it returns
 * belong to the caller.
 */
public final class PerfEvent {

    /** PERF_FLAG_FD_CLOEXEC. */
    public static final long FLAG_FD_CLOEXEC = 8;

    private static final long IOC_ENABLE = 0x2400;
    private static final long IOC_DISABLE = 0x2401;
    private static final long IOC_ID = 0x80082407L;
    private static final long IOC_SET_BPF = 0x40042408L;
    private static final long IOC_PAUSE_OUTPUT = 0x40042409L;

    private PerfEvent() {
    }

    /**
     * Opens a perf event for {@code pid} (-1: every process) on {@code cpu} (-1: any CPU). A CPU that is
     * offline fails with a message that says so.
     */
    public static FileDescriptor open(PerfEventAttr attr, int pid, int cpu, int groupFd) {
        NativeBuffer a = PerfEventAttrLayout.encode(attr);
        long r = Native.libc().syscall(Native.arch().perfEventOpen(), a.address(), pid, cpu, groupFd, FLAG_FD_CLOEXEC);
        int errno = r < 0 ? Native.errno() : 0;
        Reference.reachabilityFence(a);
        if (r < 0) {
            String context = attr + " pid " + pid + " cpu " + cpu;
            if (errno == Errno.ENODEV.number() && cpu >= 0 && !CpuSet.online().contains(cpu)) {
                context += ": CPU " + cpu + " is offline (online: " + CpuSet.online() + ")";
            }
            throw new SyscallException("perf_event_open", "", errno, context);
        }
        return new FileDescriptor((int) r, "perf event " + (cpu >= 0 ? "cpu " + cpu : "pid " + pid));
    }

    /** PERF_EVENT_IOC_ENABLE. */
    public static void enable(FileDescriptor event) {
        ioctl(event, IOC_ENABLE, 0, "PERF_EVENT_IOC_ENABLE");
    }

    /** PERF_EVENT_IOC_DISABLE. */
    public static void disable(FileDescriptor event) {
        ioctl(event, IOC_DISABLE, 0, "PERF_EVENT_IOC_DISABLE");
    }

    /** PERF_EVENT_IOC_SET_BPF: attaches {@code prog} to a tracepoint, kprobe or uprobe event (the pre-link way). */
    public static void setBpf(FileDescriptor event, FileDescriptor prog) {
        ioctl(event, IOC_SET_BPF, prog.fd(), "PERF_EVENT_IOC_SET_BPF");
    }

    /**
     * PERF_EVENT_IOC_PAUSE_OUTPUT: while paused the kernel writes nothing to the event's ring (records are
     * dropped, not counted), so an overwritable ring can be read without the writer racing the reader.
     */
    public static void pauseOutput(FileDescriptor event, boolean pause) {
        ioctl(event, IOC_PAUSE_OUTPUT, pause ? 1 : 0, "PERF_EVENT_IOC_PAUSE_OUTPUT");
    }

    /** PERF_EVENT_IOC_ID: the event's kernel id. */
    public static long id(FileDescriptor event) {
        NativeBuffer out = NativeBuffer.allocate(8);
        ioctl(event, IOC_ID, out.address(), "PERF_EVENT_IOC_ID");
        long id = out.buffer().getLong(0);
        Reference.reachabilityFence(out);
        return id;
    }

    private static void ioctl(FileDescriptor event, long request, long arg, String name) {
        if (Native.libc().ioctl(event.fd(), request, arg) < 0) {
            throw new SyscallException("ioctl", name, Native.errno(), event.what());
        }
    }
}
