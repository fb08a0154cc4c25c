package io.reactorbpf.benchmarks;

import java.lang.management.ManagementFactory;

/**
 * A thread's CPU time and the bytes it has allocated on the heap, read at one moment through
 * {@link com.sun.management.ThreadMXBean}; the difference of two readings is what the thread used between them.
 */
record ThreadUsage(long cpuNanos, long allocatedBytes) {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** The usage so far of the live thread {@code id}. */
    static ThreadUsage of(long id) {
        return new ThreadUsage(THREADS.getThreadCpuTime(id), THREADS.getThreadAllocatedBytes(id));
    }

    /** The usage so far of the calling thread. */
    static ThreadUsage current() {
        return new ThreadUsage(THREADS.getCurrentThreadCpuTime(), THREADS.getCurrentThreadAllocatedBytes());
    }

    ThreadUsage minus(ThreadUsage start) {
        return new ThreadUsage(cpuNanos - start.cpuNanos, allocatedBytes - start.allocatedBytes);
    }
}
