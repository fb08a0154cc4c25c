package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.SyscallException;
import io.reactorbpf.core.sys.FileDescriptor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A non-blocking eventfd: a counter one thread bumps to wake another out of epoll_wait. {@link #signal()}
 * is safe from any thread, also while or after another thread closes the eventfd (it then does nothing);
 * {@link #drain()} belongs to the waiting thread.
 */
public final class EventFd implements AutoCloseable {

    private static final int CLOSED = 1 << 30;

    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EFD_NONBLOCK = 0x800;

    private final FileDescriptor fd;
    /** CLOSED bit plus the number of signal() calls inside write(2); close waits for them to leave. */
    private final AtomicInteger users = new AtomicInteger();
    /** Holds the constant 1 that signal() writes; only ever read, so shared by every signalling thread. */
    private final NativeBuffer one = NativeBuffer.allocate(8);
    /** Receives the counter; used by the waiting thread only. */
    private final NativeBuffer counter = NativeBuffer.allocate(8);

    private EventFd(FileDescriptor fd) {
        this.fd = fd;
        one.buffer().putLong(0, 1);
    }

    public static EventFd open(String what) {
        int r = Native.libc().eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (r < 0) {
            throw new SyscallException("eventfd", "", Native.errno(), what);
        }
        return new EventFd(new FileDescriptor(r, "eventfd " + what));
    }

    public FileDescriptor fd() {
        return fd;
    }

    /**
     * Adds one to the counter, waking a waiter; a full counter (EAGAIN) already means "wake". Does nothing
     * once {@link #close()} has begun, so the write can never reach a descriptor number reused elsewhere.
     */
    public void signal() {
        int u;
        do {
            u = users.get();
            if ((u & CLOSED) != 0) {
                return;
            }
        } while (!users.compareAndSet(u, u + 1));
        try {
            long r = Native.libc().write(fd.fd(), one.address(), 8);
            if (r < 0) {
                int errno = Native.errno();
                if (errno != Errno.EAGAIN.number()) {
                    throw new SyscallException("write", "eventfd", errno, fd.what());
                }
            }
        } finally {
            users.decrementAndGet();
        }
    }

    /** Resets the counter; returns what it held (0 when nothing was signalled). */
    public long drain() {
        return Native.readCount(fd, counter, "eventfd");
    }

    /** Closes the eventfd once no {@link #signal()} is inside its write; later signals do nothing. */
    @Override
    public void close() {
        int u = users.getAndUpdate(v -> v | CLOSED);
        if ((u & CLOSED) != 0) {
            return;
        }
        while ((users.get() & ~CLOSED) != 0) {
            Thread.onSpinWait();
        }
        fd.close();
    }
}
