package io.reactorbpf.core.testing;

import io.reactorbpf.core.internal.sys.Native;
import io.reactorbpf.core.internal.sys.NativeBuffer;
import io.reactorbpf.core.sys.SyscallException;

/** Pins the calling thread to one CPU (sched_setaffinity), so a producer's samples land in that CPU's ring. */
public final class CpuAffinity {

    private CpuAffinity() {
    }

    public static void pin(int cpu) {
        NativeBuffer mask = NativeBuffer.allocate(128);
        mask.buffer().put(cpu / 8, (byte) (1 << (cpu % 8)));
        if (Native.libc().sched_setaffinity(0, 128, mask.address()) < 0) {
            throw new SyscallException("sched_setaffinity", "", Native.errno(), "pinning to CPU " + cpu);
        }
        java.lang.ref.Reference.reachabilityFence(mask);
    }

    /** Runs {@code body} on a new thread pinned to {@code cpu} and waits for it. */
    public static void runOn(int cpu, Runnable body) {
        Thread t = new Thread(() -> {
            pin(cpu);
            body.run();
        }, "pinned-cpu" + cpu);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running on CPU " + cpu, e);
        }
    }
}
