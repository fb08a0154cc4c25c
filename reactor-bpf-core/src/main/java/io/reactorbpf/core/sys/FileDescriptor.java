package io.reactorbpf.core.sys;

import io.reactorbpf.core.internal.sys.Native;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An open file descriptor with one owner. {@link #close()} releases it exactly once, from any thread;
 * closing again does nothing. Reading {@link #fd()} after close fails with EBADF instead of handing out a
 * number the kernel may already have given to another file.
 *
 * @since 0.1
 */
public final class FileDescriptor implements AutoCloseable {

    private static final VarHandle FD;

    static {
        try {
            FD = MethodHandles.lookup().findVarHandle(FileDescriptor.class, "fd", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String what;
    @SuppressWarnings("unused") // accessed through FD
    private volatile int fd;

    /**
     * Takes ownership of {@code fd}: from now on only this object closes it.
     *
     * @param fd the descriptor number a syscall returned, not closed or owned elsewhere
     * @param what what the descriptor refers to, used in error messages ("perf event cpu 1", "map events")
     * @throws IllegalArgumentException when {@code fd} is negative
     */
    public FileDescriptor(int fd, String what) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + fd);
        }
        this.fd = fd;
        this.what = what;
    }

    /**
     * The descriptor number. Throws a {@link SyscallException} with EBADF once closed. The number is valid only
     * while this object is open: a caller that passes it to a syscall must not race with {@link #close()}.
     *
     * @return the descriptor number
     * @throws SyscallException with EBADF when the descriptor has been closed
     */
    public int fd() {
        int v = (int) FD.getVolatile(this);
        if (v < 0) {
            throw new SyscallException("fd", "", Errno.EBADF.number(), what + " is closed");
        }
        return v;
    }

    /**
     * A second descriptor for the same open file (fcntl F_DUPFD_CLOEXEC), owned by the caller. The file stays
     * open until both are closed: a perf event array keeps the slots set through it while either lives.
     *
     * @param whatFor what the new descriptor is for, used in its error messages
     * @return a new descriptor, close-on-exec, that the caller must close
     * @throws SyscallException when this one is closed (EBADF) or fcntl fails (EMFILE: too many open files)
     */
    public FileDescriptor duplicate(String whatFor) {
        int r = Native.libc().fcntl(fd(), 1030, 0);
        if (r < 0) {
            throw new SyscallException("fcntl", "F_DUPFD_CLOEXEC", Native.errno(), what);
        }
        return new FileDescriptor(r, whatFor);
    }

    /**
     * Whether {@link #close()} has run. Safe from any thread.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return (int) FD.getVolatile(this) < 0;
    }

    /**
     * What the descriptor refers to.
     *
     * @return the description given at construction, such as {@code perf event cpu 1}
     */
    public String what() {
        return what;
    }

    /** Closes the descriptor; only the first call closes it, later calls return at once. */
    @Override
    public void close() {
        int v = (int) FD.getAndSet(this, -1);
        if (v >= 0) {
            Native.libc().close(v);
        }
    }

    @Override
    public String toString() {
        return what + " (fd " + (int) FD.getVolatile(this) + ")";
    }
}
