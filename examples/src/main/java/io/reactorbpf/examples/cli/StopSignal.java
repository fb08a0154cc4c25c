package io.reactorbpf.examples.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * When a command stops: after its duration (counted from {@link #attached()}: the programs run that long), when
 * its stream ends, or on SIGINT/SIGTERM. On a signal
 * the JVM's shutdown hook wakes the command, waits (up to 5 s) until it has {@link #released} its programs and
 * rings and printed its summary, and ends the process with the command's exit code (0 for a clean stop rather
 * than the 130 of an interrupted JVM). Thread-safe; one per command run.
 */
public final class StopSignal {

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onSignal, "stop-signal");
    private final long seconds;
    private final CountDownLatch attached = new CountDownLatch(1);
    /** When the programs were attached (System.nanoTime); valid once {@link #attached} counted down. */
    private volatile long attachedAt;
    private volatile boolean signalled;
    /** Wakes the command's reader on a stop; null when it waits with timeouts. */
    private volatile Runnable wake;
    private volatile int exitCode;

    private StopSignal(long seconds) {
        this.seconds = seconds;
    }

    /** Installs the shutdown hook for a command that runs {@code seconds} at most once attached (0: no limit). */
    public static StopSignal install(long seconds) {
        StopSignal s = new StopSignal(seconds);
        Runtime.getRuntime().addShutdownHook(s.hook);
        return s;
    }

    /** Wakes {@link #await} (the stream ended or failed). */
    public void stop() {
        stop.countDown();
        wakeReader();
    }

    /**
     * Has {@code wake} run when a stop comes (a signal, {@link #stop()}), so a reader blocked in a poll with no
     * timeout returns; the duration's end is {@link #millisLeft()}'s to bound. One reader per command.
     */
    public void onStop(Runnable wake) {
        this.wake = wake;
        if (stop.getCount() == 0) {
            wake.run();
        }
    }

    /** Milliseconds until the command's seconds are up (at least 1), or -1 without a limit or before attach. */
    public int millisLeft() {
        if (seconds <= 0 || attached.getCount() > 0) {
            return -1;
        }
        long left = deadline() - System.nanoTime();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left) + 1));
    }

    private void wakeReader() {
        Runnable w = wake;
        if (w != null) {
            w.run();
        }
    }

    /** Says the programs are attached: the command's seconds, and its summary's, count from now. */
    public void attached() {
        if (attached.getCount() > 0) {
            attachedAt = System.nanoTime();
            attached.countDown();
        }
    }

    /** Nanoseconds since {@link #attached()}; 0 before. */
    public long attachedNanos() {
        return attached.getCount() == 0 ? System.nanoTime() - attachedAt : 0;
    }

    /** Blocks until {@link #stop()}, a signal, or the command's seconds (counted from attach) are up. */
    public void await() throws InterruptedException {
        if (seconds > 0) {
            attached.await();
            stop.await(Math.max(0, deadline() - System.nanoTime()), TimeUnit.NANOSECONDS);
        } else {
            stop.await();
        }
    }

    /** Whether {@link #stop()} ran, a signal came, or the command's seconds are up; never blocks. */
    public boolean stopped() {
        return stop.getCount() == 0
                || (seconds > 0 && attached.getCount() == 0 && System.nanoTime() - deadline() >= 0);
    }

    private long deadline() {
        return attachedAt + TimeUnit.SECONDS.toNanos(seconds);
    }

    /**
     * Says everything is released and all output written, and that the command ends with {@code code}. Removes
     * the hook, unless a signal is stopping the JVM: then the hook ends it with that code.
     */
    public void released(int code) {
        exitCode = code;
        released.countDown();
        if (!signalled) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // a signal arrived just now: the hook runs, finds everything released and exits with the code
            }
        }
    }

    private void onSignal() {
        signalled = true;
        stop.countDown();
        wakeReader();
        try {
            if (released.await(5, TimeUnit.SECONDS)) {
                // the command finished cleanly: end with its code instead of the signal's
                Runtime.getRuntime().halt(exitCode);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
