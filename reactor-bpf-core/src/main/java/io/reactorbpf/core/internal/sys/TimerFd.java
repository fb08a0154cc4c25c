package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.SyscallException;

import java.lang.ref.Reference;

/**
 * A non-blocking timerfd on {@code CLOCK_MONOTONIC}: a periodic timer that an epoll set watches, so a thread
 * waiting in {@code epoll_wait} with no timeout is woken at fixed instants, however long its work between waits
 * takes, and without the timeout's rounding to milliseconds and timer slack. Owned by one thread.
 */
public final class TimerFd implements AutoCloseable {

    private static final int CLOCK_MONOTONIC = 1;
    private static final int TFD_CLOEXEC = 0x80000;
    private static final int TFD_NONBLOCK = 0x800;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final FileDescriptor fd;
    /** struct itimerspec {timespec it_interval; timespec it_value;}: four 64-bit fields on 64-bit Linux. */
    private final NativeBuffer spec = NativeBuffer.allocate(32);
    /** Receives the expiry count. */
    private final NativeBuffer expiries = NativeBuffer.allocate(8);

    private TimerFd(FileDescriptor fd) {
        this.fd = fd;
    }

    /** A new, disarmed timer. */
    public static TimerFd open(String what) {
        int r = Native.libc().timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
        if (r < 0) {
            throw new SyscallException("timerfd_create", "CLOCK_MONOTONIC", Native.errno(), what);
        }
        return new TimerFd(new FileDescriptor(r, "timerfd " + what));
    }

    public FileDescriptor fd() {
        return fd;
    }

    /** Expires every {@code periodNanos} from now on (positive), or never again (0). */
    public void every(long periodNanos) {
        if (periodNanos < 0) {
            throw new IllegalArgumentException("a timer period must not be negative, got " + periodNanos);
        }
        long seconds = periodNanos / NANOS_PER_SECOND;
        long nanos = periodNanos % NANOS_PER_SECOND;
        var b = spec.buffer();
        b.putLong(0, seconds);
        b.putLong(8, nanos);
        b.putLong(16, seconds);
        b.putLong(24, nanos);
        int r = Native.libc().timerfd_settime(fd.fd(), 0, spec.address(), 0);
        Reference.reachabilityFence(spec);
        if (r < 0) {
            throw new SyscallException("timerfd_settime", periodNanos == 0 ? "disarm" : "every " + periodNanos + " ns",
                    Native.errno(), fd.what());
        }
    }

    /**
     * Reads and resets the expiry count, so a level-triggered epoll stops reporting the timer until it expires
     * again; 0 when it has not expired since the last read.
     */
    public long drain() {
        return Native.readCount(fd, expiries, "timerfd");
    }

    @Override
    public void close() {
        fd.close();
    }
}
