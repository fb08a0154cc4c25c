package io.reactorbpf.core.attach;

import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.PerfEventAttr;

import java.util.ArrayList;
import java.util.List;

/**
 * Attaches a {@code BPF_PROG_TYPE_PERF_EVENT} program ({@code SEC("perf_event")}) to perf events it runs on at
 * every sample, such as software cpu-clock sampling at a frequency. Stateless and thread-safe; the returned
 * links belong to the caller.
 *
 * @since 0.1
 */
public final class PerfEventAttach {

    private PerfEventAttach() {
    }

    /**
     * Opens a perf event of {@code attr} for thread {@code pid} (a thread id as perf_event_open(2) takes it;
     * -1: every process) on {@code cpu} (-1: any) and binds {@code prog}.
     *
     * @param prog a loaded PERF_EVENT program, still owned by the caller
     * @param attr the event, such as a software CPU clock sampled at a frequency; only read
     * @param pid the thread to watch, or -1 for every process (then {@code cpu} must not be -1)
     * @param cpu the CPU to watch, or -1 for any CPU the thread runs on
     * @return the link, owned by the caller, who closes it to detach
     * @throws AttachException naming the event when perf_event_open or the binding fails
     */
    public static BpfLink attach(FileDescriptor prog, PerfEventAttr attr, int pid, int cpu) {
        return PerfEventBinding.attach(prog, attr, pid, cpu, describe(attr) + (pid < 0 ? "" : " pid " + pid)
                + (cpu < 0 ? "" : " cpu " + cpu), AttachMode.PREFER_LINK);
    }

    /**
     * Opens a perf event of {@code attr} for every process on each online CPU and binds {@code prog} to each;
     * one link holds them all, the per-CPU links are its {@link BpfLink#parts()}. When one CPU fails the
     * others are detached again.
     *
     * @param prog a loaded PERF_EVENT program, still owned by the caller
     * @param attr the event opened on each CPU; only read
     * @return one link over all CPUs, owned by the caller; a CPU brought online later is not covered
     * @throws AttachException naming the event and CPU when one CPU fails
     */
    public static BpfLink attachEachCpu(FileDescriptor prog, PerfEventAttr attr) {
        CpuSet cpus = CpuSet.online();
        List<BpfLink> parts = new ArrayList<>(cpus.size());
        try {
            for (int cpu : cpus.toArray()) {
                parts.add(attach(prog, attr, -1, cpu));
            }
        } catch (RuntimeException e) {
            parts.forEach(BpfLink::close);
            throw e;
        }
        return BpfLink.composite(describe(attr) + " on CPUs " + cpus, parts);
    }

    private static String describe(PerfEventAttr attr) {
        return "perf_event type " + attr.type() + " config " + attr.config();
    }
}
