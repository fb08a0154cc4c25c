package io.reactorbpf.core.internal.sys;

import com.kenai.jffi.LastError;
import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.SyscallException;

/**
 * The process-wide libc binding and the errno of the calling thread's last call. Loaded on first use;
 * safe to use from any thread.
 */
public final class Native {

    private static final class Holder {
        static final Arch ARCH = Arch.current();
        static final LibC LIBC = LibC.open();
    }

    private Native() {
    }

    /** The libc binding. */
    public static LibC libc() {
        return Holder.LIBC;
    }

    /** This JVM's architecture. */
    public static Arch arch() {
        return Holder.ARCH;
    }

    /** errno as saved by the calling thread's last errno-saving {@link LibC} call. */
    public static int errno() {
        return LastError.getInstance().get();
    }

    /** The calling thread's kernel thread id. */
    public static int gettid() {
        return Holder.LIBC.gettid();
    }

    /** This process's id. */
    public static int getpid() {
        return Holder.LIBC.getpid();
    }

    /**
     * Reads the u64 count of a non-blocking eventfd or timerfd into {@code into} and returns it, which resets it;
     * 0 when nothing was counted since the last read (EAGAIN).
     */
    static long readCount(FileDescriptor fd, NativeBuffer into, String kind) {
        long r = Holder.LIBC.read(fd.fd(), into.address(), 8);
        if (r < 0) {
            int errno = errno();
            if (errno == Errno.EAGAIN.number()) {
                return 0;
            }
            throw new SyscallException("read", kind, errno, fd.what());
        }
        return into.buffer().getLong(0);
    }
}
