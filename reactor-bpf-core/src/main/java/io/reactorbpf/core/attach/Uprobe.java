package io.reactorbpf.core.attach;

import io.reactorbpf.core.sys.FileDescriptor;

import java.nio.file.Path;

/**
 * Attaches a {@code BPF_PROG_TYPE_KPROBE} program to a user-space function entry (uprobe) or return
 * (uretprobe) through the uprobe perf PMU. A uprobe is set on the file: it fires in every process that runs
 * the code, including processes started after attaching, unless a pid limits it. Stateless and thread-safe;
 * the returned link belongs to the caller.
 *
 * @since 0.1
 */
public final class Uprobe {

    private Uprobe() {
    }

    /**
     * Attaches {@code prog} to {@code symbol} plus {@code offset} in {@code binary} (or to file offset
     * {@code offset} when {@code symbol} is null), in process {@code pid} or, with -1, in every process.
     * Throws an {@link AttachTargetNotFoundException} naming the binary and symbol when either is missing.
     *
     * @param prog a loaded KPROBE program, still owned by the caller
     * @param retprobe false for the entry (a uprobe), true for the return (a uretprobe)
     * @param binary the executable or shared object holding the function
     * @param symbol the function's symbol, or null when {@code offset} is a file offset
     * @param offset bytes after the function's start, or the file offset when {@code symbol} is null
     * @param pid the process to probe, or -1 for every process that runs the code
     * @return the link, owned by the caller, who closes it to detach
     * @throws AttachTargetNotFoundException when the binary or the symbol is missing
     * @throws UnsupportedAttachException when the kernel has no uprobe PMU
     * @throws AttachException when the binary cannot be read or perf_event_open or the binding fails
     */
    public static BpfLink attach(FileDescriptor prog, boolean retprobe, Path binary, String symbol, long offset, int pid) {
        return attach(prog, retprobe, new UprobeTarget(binary, symbol, offset), pid);
    }

    /**
     * Attaches {@code prog} to {@code target} in process {@code pid} or, with -1, in every process.
     *
     * @param prog a loaded KPROBE program, still owned by the caller
     * @param retprobe false for the entry (a uprobe), true for the return (a uretprobe)
     * @param target the binary and the place in it
     * @param pid the process to probe, or -1 for every process that runs the code
     * @return the link, owned by the caller, who closes it to detach
     * @throws AttachTargetNotFoundException when the binary or the symbol is missing
     * @throws UnsupportedAttachException when the kernel has no uprobe PMU
     * @throws AttachException when the binary cannot be read or perf_event_open or the binding fails
     */
    public static BpfLink attach(FileDescriptor prog, boolean retprobe, UprobeTarget target, int pid) {
        return attach(prog, retprobe, target, 0, pid);
    }

    /**
     * Attaches {@code prog} to {@code target} in process {@code pid} or, with -1, in every process, with the kernel
     * counting the USDT semaphore at file offset {@code semaphore} of the binary up while the probe is attached
     * and down when it is detached (the uprobe's {@code ref_ctr_offset}, Linux 4.20), so that code guarded by the
     * semaphore ({@code if (PROBE_ENABLED())}) runs only while someone listens.
     *
     * @param prog a loaded KPROBE program, still owned by the caller
     * @param retprobe false for the entry (a uprobe), true for the return (a uretprobe)
     * @param target the binary and the place in it
     * @param semaphore the file offset of the probe's u16 semaphore in the binary, or 0 for none
     * @param pid the process to probe, or -1 for every process that runs the code
     * @return the link, owned by the caller, who closes it to detach
     * @throws AttachTargetNotFoundException when the binary or the symbol is missing
     * @throws UnsupportedAttachException when the kernel has no uprobe PMU, or none with ref_ctr_offset while a
     *     semaphore is given
     * @throws AttachException when the binary cannot be read or perf_event_open or the binding fails
     */
    public static BpfLink attach(FileDescriptor prog, boolean retprobe, UprobeTarget target, long semaphore, int pid) {
        ProbePmu pmu = ProbePmu.read(ProbePmu.DEVICES, "uprobe", "CONFIG_UPROBES and CONFIG_UPROBE_EVENTS");
        long fileOffset = target.fileOffset();
        String description = (retprobe ? "uretprobe " : "uprobe ") + target
                + (semaphore == 0 ? "" : " semaphore 0x" + Long.toHexString(semaphore)) + (pid < 0 ? "" : " pid " + pid);
        return pmu.attach(prog, retprobe, target.binary().toAbsolutePath().toString(), fileOffset, semaphore, pid,
                description);
    }
}
