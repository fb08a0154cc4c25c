package io.reactorbpf.core.attach;

import io.reactorbpf.core.sys.FileDescriptor;

import java.nio.file.Path;

/**
 * Attaches a {@code BPF_PROG_TYPE_KPROBE} program to a user-space function entry (uprobe) or return
 * (uretprobe) through the uprobe perf PMU. A uprobe is set on the file: it fires in every process that runs
 * the code, including processes started after attaching, unless a pid limits it. Stateless and thread-safe;
 * the returned link belongs to the caller.
 */
public final class Uprobe {

    private Uprobe() {
    }

    /**
     * Attaches {@code prog} to {@code symbol} plus {@code offset} in {@code binary} (or to file offset
     * {@code offset} when {@code symbol} is null), in process {@code pid} or, with -1, in every process.
     * Throws an {@link AttachTargetNotFoundException} naming the binary and symbol when either is missing.
     */
    public static BpfLink attach(FileDescriptor prog, boolean retprobe, Path binary, String symbol, long offset, int pid) {
        return attach(prog, retprobe, new UprobeTarget(binary, symbol, offset), pid);
    }

    /** Attaches {@code prog} to {@code target} in process {@code pid} or, with -1, in every process. */
    public static BpfLink attach(FileDescriptor prog, boolean retprobe, UprobeTarget target, int pid) {
        ProbePmu pmu = ProbePmu.read(ProbePmu.DEVICES, "uprobe", "CONFIG_UPROBES and CONFIG_UPROBE_EVENTS");
        long fileOffset = target.fileOffset();
        String description = (retprobe ? "uretprobe " : "uprobe ") + target + (pid < 0 ? "" : " pid " + pid);
        return pmu.attach(prog, retprobe, target.binary().toAbsolutePath().toString(), fileOffset, pid, description);
    }
}
