package io.reactorbpf.core.attach;

import io.reactorbpf.core.sys.FileDescriptor;

/**
 * Attaches a {@code BPF_PROG_TYPE_KPROBE} program to a kernel function entry (kprobe) or return (kretprobe)
 * through the kprobe perf PMU. Stateless and thread-safe; the returned link belongs to the caller.
 */
public final class Kprobe {

    private Kprobe() {
    }

    /**
     * Attaches {@code prog} to {@code function} plus {@code offset} bytes (0 for the entry), or to its return
     * when {@code retprobe}, in every process. Throws an {@link UnsupportedAttachException} when the kernel was
     * built without kprobes (no /sys/bus/event_source/devices/kprobe).
     */
    public static BpfLink attach(FileDescriptor prog, boolean retprobe, String function, long offset) {
        ProbePmu pmu = ProbePmu.read(ProbePmu.DEVICES, "kprobe", "CONFIG_KPROBES and CONFIG_KPROBE_EVENTS");
        String target = (retprobe ? "kretprobe " : "kprobe ") + function + (offset == 0 ? "" : "+0x" + Long.toHexString(offset));
        return pmu.attach(prog, retprobe, function, offset, -1, target);
    }
}
