package io.reactorbpf.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Finds a consumer's poller thread by its name, so its CPU time and allocations can be read: the streams name
 * theirs {@code perf-MAP} and {@code ringbuf-MAP}, and the blocking pollers here name theirs the same way.
 */
final class PollerThread {

    private PollerThread() {
    }

    /** The id of the one live thread named {@code name}. */
    static long named(String name) {
        long id = -1;
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            if (info.getThreadName().equals(name)) {
                if (id != -1) {
                    throw new IllegalStateException("two threads are named " + name + "; measuring either would be wrong");
                }
                id = info.getThreadId();
            }
        }
        if (id == -1) {
            throw new IllegalStateException("no poller thread named " + name + " is running");
        }
        return id;
    }

    /** Waits (up to 2 s) for the previous run's poller named {@code name}, which leaves after cancel on its own, to be gone. */
    static void awaitGone(String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (System.nanoTime() < deadline && Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(name))) {
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }
}
