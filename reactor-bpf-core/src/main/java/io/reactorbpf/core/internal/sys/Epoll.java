package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.SyscallException;
import io.reactorbpf.core.sys.FileDescriptor;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;

/**
 * An epoll instance with a fixed event array. Registration is thread-safe (the kernel serialises it);
 * {@link #await(int)} and {@link #data(int)} belong to one waiting thread, which owns the event array.
 */
public final class Epoll implements AutoCloseable {

    /** EPOLLIN. */
    public static final int IN = 0x001;
    /** EPOLLOUT. */
    public static final int OUT = 0x004;
    /** EPOLLERR. */
    public static final int ERR = 0x008;
    /** EPOLLHUP. */
    public static final int HUP = 0x010;
    /** EPOLLET: report a descriptor when it becomes ready, not while it stays ready. */
    public static final int ET = 1 << 31;

    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int CTL_ADD = 1;
    private static final int CTL_DEL = 2;
    private static final int CTL_MOD = 3;

    private final FileDescriptor fd;
    private final NativeBuffer events;
    private final int capacity;
    /** struct epoll_event is packed (12 bytes) on x86_64 and naturally aligned (16 bytes) elsewhere. */
    private final int eventSize;
    private final int dataOffset;

    private Epoll(FileDescriptor fd, int capacity) {
        this.fd = fd;
        this.capacity = capacity;
        boolean packed = Native.arch() == Arch.X86_64;
        this.eventSize = packed ? 12 : 16;
        this.dataOffset = packed ? 4 : 8;
        this.events = NativeBuffer.allocate(capacity * eventSize);
    }

    /** A new epoll instance that reports up to {@code capacity} ready descriptors per wait. */
    public static Epoll open(int capacity, String what) {
        int r = Native.libc().epoll_create1(EPOLL_CLOEXEC);
        if (r < 0) {
            throw new SyscallException("epoll_create1", "", Native.errno(), what);
        }
        return new Epoll(new FileDescriptor(r, "epoll " + what), Math.max(1, capacity));
    }

    public FileDescriptor fd() {
        return fd;
    }

    /** Watches {@code target} for {@code events}; {@code data} comes back with each readiness report. */
    public void add(FileDescriptor target, int events, long data) {
        ctl(CTL_ADD, target, events, data, "EPOLL_CTL_ADD");
    }

    /** Changes what {@code target} is watched for. */
    public void modify(FileDescriptor target, int events, long data) {
        ctl(CTL_MOD, target, events, data, "EPOLL_CTL_MOD");
    }

    /** Stops watching {@code target}. */
    public void remove(FileDescriptor target) {
        ctl(CTL_DEL, target, 0, 0, "EPOLL_CTL_DEL");
    }

    private void ctl(int op, FileDescriptor target, int events, long data, String name) {
        NativeBuffer ev = NativeBuffer.allocate(16);
        ByteBuffer b = ev.buffer();
        b.putInt(0, events);
        b.putLong(dataOffset, data);
        int r = Native.libc().epoll_ctl(fd.fd(), op, target.fd(), ev.address());
        Reference.reachabilityFence(ev);
        if (r < 0) {
            throw new SyscallException("epoll_ctl", name, Native.errno(), target.what());
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever, 0: just look) for ready descriptors; returns how many.
     * An interrupted wait (EINTR) returns 0.
     */
    public int await(int timeoutMillis) {
        int r = Native.libc().epoll_wait(fd.fd(), events.address(), capacity, timeoutMillis);
        if (r < 0) {
            int errno = Native.errno();
            if (errno == Errno.EINTR.number()) {
                return 0;
            }
            throw new SyscallException("epoll_wait", "", errno, fd.what());
        }
        return r;
    }

    /** The data of the {@code i}-th ready descriptor of the last {@link #await}. */
    public long data(int i) {
        return events.buffer().getLong(i * eventSize + dataOffset);
    }

    /** The event bits of the {@code i}-th ready descriptor of the last {@link #await}. */
    public int readyEvents(int i) {
        return events.buffer().getInt(i * eventSize);
    }

    @Override
    public void close() {
        fd.close();
    }
}
