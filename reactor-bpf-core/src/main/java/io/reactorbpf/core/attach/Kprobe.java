package io.reactorbpf.core.attach;

import io.reactorbpf.core.sys.FileDescriptor;

/**
 * Attaches a {@code BPF_PROG_TYPE_KPROBE} program to a kernel function entry (kprobe) or return (kretprobe)
 * through the kprobe perf PMU. Stateless and thread-safe; the returned link belongs to the caller.
 *
 * @since 0.1
 */
public final class Kprobe {

    private Kprobe() {
    }

    /**
     * Attaches {@code prog} to {@code function} plus {@code offset} bytes (0 for the entry), or to its return
     * when {@code retprobe}, in every process. Throws an {@link UnsupportedAttachException} when the kernel was
     * built without kprobes (no /sys/bus/event_source/devices/kprobe).
     *
     * @param prog a loaded KPROBE program, still owned by the caller
     * @param retprobe false for the entry (a kprobe), true for the return (a kretprobe)
     * @param function the kernel function, as /proc/kallsyms names it
     * @param offset bytes into the function, 0 for its entry; must be 0 for a kretprobe
     * @return the link, owned by the caller, who closes it to detach
     * @throws UnsupportedAttachException when the kernel has no kprobe PMU, or no retprobe format for a kretprobe
     * @throws AttachException naming the target when perf_event_open or the binding fails, such as for a
     *         function that does not exist or may not be probed
     */
    public static BpfLink attach(FileDescriptor prog, boolean retprobe, String function, long offset) {
        ProbePmu pmu = ProbePmu.read(ProbePmu.DEVICES, "kprobe", "CONFIG_KPROBES and CONFIG_KPROBE_EVENTS");
        String target = (retprobe ? "kretprobe " : "kprobe ") + function + (offset == 0 ? "" : "+0x" + Long.toHexString(offset));
        return pmu.attach(prog, retprobe, function, offset, -1, target);
    }
}
