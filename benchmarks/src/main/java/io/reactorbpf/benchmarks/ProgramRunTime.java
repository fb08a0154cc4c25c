package io.reactorbpf.benchmarks;

import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.internal.sys.Native;
import io.reactorbpf.core.internal.sys.NativeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A BPF program's run count and the time spent in it, as the kernel's {@code /proc/self/fdinfo} of its descriptor
 * shows them ({@code run_cnt}, {@code run_time_ns}) while run-time statistics are on. The loss count our loader
 * adds runs inside the producer program, so this is where its cost shows, free of the scheduling noise that
 * throughput on a shared machine carries.
 */
record ProgramRunTime(long runs, long nanos) {

    /** BPF_ENABLE_STATS (bpf(2) command 32). */
    private static final int ENABLE_STATS = 32;
    /** BPF_STATS_RUN_TIME. */
    private static final int STATS_RUN_TIME = 0;

    /** The program's counts so far; zero while statistics are off. */
    static ProgramRunTime of(FileDescriptor program) {
        long runs = 0;
        long nanos = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + program.fd()))) {
                String[] kv = line.split(":\\s*", 2);
                if (kv.length == 2 && kv[0].equals("run_cnt")) {
                    runs = Long.parseLong(kv[1].trim());
                } else if (kv.length == 2 && kv[0].equals("run_time_ns")) {
                    nanos = Long.parseLong(kv[1].trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the fdinfo of " + program, e);
        }
        return new ProgramRunTime(runs, nanos);
    }

    /**
     * Turns run-time statistics on for every BPF program until the returned descriptor is closed (or this process
     * exits): unlike the kernel.bpf_stats_enabled sysctl, nothing is left switched on after a crash.
     */
    static FileDescriptor enableStatistics() {
        NativeBuffer attr = NativeBuffer.allocate(8);
        attr.buffer().putInt(0, STATS_RUN_TIME);
        long fd = Native.libc().syscall(Native.arch().bpf(), ENABLE_STATS, attr.address(), 8, 0, 0);
        Reference.reachabilityFence(attr);
        if (fd < 0) {
            throw new IllegalStateException("bpf(BPF_ENABLE_STATS) failed: errno " + Native.errno());
        }
        return new FileDescriptor((int) fd, "bpf run-time statistics");
    }

    ProgramRunTime minus(ProgramRunTime start) {
        return new ProgramRunTime(runs - start.runs, nanos - start.nanos);
    }

    /** Nanoseconds per run of the program, NaN for none. */
    double nanosPerRun() {
        return runs == 0 ? Double.NaN : (double) nanos / runs;
    }
}
