package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.UnsupportedPlatformException;
import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.Library;
import com.kenai.jffi.Type;

/**
 * The libc functions reactor-bpf calls, bound through jffi (JNR's native call layer) without generated
 * code: each function is its symbol's address and a call context, invoked with primitive arguments.
 * Pointers are passed as raw addresses ({@code long}); the typed wrappers in this package own the memory
 * they point to. Every function except {@link #getpid}, {@link #gettid} and {@link #sysconf} saves errno,
 * which {@link Native#errno()} reads on the calling thread. Safe to use from any thread.
 */
public final class LibC {

    private static final Invoker INVOKER = Invoker.getInstance();

    private final Library library;
    private final Function syscall6;
    private final Function mmap;
    private final Function munmap;
    private final Function ioctl;
    private final Function close;
    private final Function fcntl;
    private final Function read;
    private final Function write;
    private final Function socket;
    private final Function bind;
    private final Function recv;
    private final Function epollCreate1;
    private final Function epollCtl;
    private final Function epollWait;
    private final Function eventfd;
    private final Function timerfdCreate;
    private final Function timerfdSettime;
    private final Function mount;
    private final Function schedSetaffinity;
    private final Function schedGetaffinity;
    private final Function getpgid;
    private final Function getpid;
    private final Function gettid;
    private final Function sysconf;

    private LibC(Library library) {
        this.library = library;
        Type l = Type.SINT64;
        Type i = Type.SINT32;
        Type p = Type.POINTER;
        syscall6 = function("syscall", true, l, l, l, l, l, l, l);
        mmap = function("mmap", true, p, p, l, i, i, i, l);
        munmap = function("munmap", true, i, p, l);
        ioctl = function("ioctl", true, i, i, l, l);
        close = function("close", true, i, i);
        fcntl = function("fcntl", true, i, i, i, i);
        read = function("read", true, l, i, p, l);
        write = function("write", true, l, i, p, l);
        socket = function("socket", true, i, i, i, i);
        bind = function("bind", true, i, i, p, i);
        recv = function("recv", true, l, i, p, l, i);
        epollCreate1 = function("epoll_create1", true, i, i);
        epollCtl = function("epoll_ctl", true, i, i, i, i, p);
        epollWait = function("epoll_wait", true, i, i, p, i, i);
        eventfd = function("eventfd", true, i, i, i);
        timerfdCreate = function("timerfd_create", true, i, i, i);
        timerfdSettime = function("timerfd_settime", true, i, i, i, p, p);
        mount = function("mount", true, i, p, p, p, l, p);
        schedSetaffinity = function("sched_setaffinity", true, i, i, l, p);
        schedGetaffinity = function("sched_getaffinity", true, i, i, l, p);
        getpgid = function("getpgid", true, i, i);
        getpid = function("getpid", false, i);
        gettid = function("gettid", false, i);
        sysconf = function("sysconf", false, l, i);
    }

    /** Opens the C library of this process. */
    static LibC open() {
        Library libc = Library.getCachedInstance("libc.so.6", Library.LAZY | Library.GLOBAL);
        if (libc == null) {
            throw new UnsupportedPlatformException("cannot open libc.so.6: " + Library.getLastError());
        }
        return new LibC(libc);
    }

    private Function function(String name, boolean saveErrno, Type result, Type... parameters) {
        long address = library.getSymbolAddress(name);
        if (address == 0) {
            throw new UnsupportedPlatformException("libc has no function " + name + ": " + Library.getLastError());
        }
        return new Function(address, CallContext.getCallContext(result, parameters, CallingConvention.DEFAULT, saveErrno));
    }

    private record Function(long address, CallContext context) {
    }

    /** syscall(2) with up to five arguments after the number (pass 0 for the ones the call does not take). */
    public long syscall(long number, long a1, long a2, long a3, long a4, long a5) {
        return INVOKER.invokeN6(syscall6.context, syscall6.address, number, a1, a2, a3, a4, a5);
    }

    /** mmap(2). */
    public long mmap(long addr, long length, int prot, int flags, int fd, long offset) {
        return INVOKER.invokeN6(mmap.context, mmap.address, addr, length, prot, flags, fd, offset);
    }

    /** munmap(2). */
    public int munmap(long addr, long length) {
        return (int) INVOKER.invokeN2(munmap.context, munmap.address, addr, length);
    }

    /** ioctl(2) with an integer or address argument. */
    public int ioctl(int fd, long request, long arg) {
        return (int) INVOKER.invokeN3(ioctl.context, ioctl.address, fd, request, arg);
    }

    /** close(2). */
    public int close(int fd) {
        return (int) INVOKER.invokeN1(close.context, close.address, fd);
    }

    /** fcntl(2) with an integer argument. */
    public int fcntl(int fd, int cmd, int arg) {
        return (int) INVOKER.invokeN3(fcntl.context, fcntl.address, fd, cmd, arg);
    }

    /** read(2). */
    public long read(int fd, long buf, long count) {
        return INVOKER.invokeN3(read.context, read.address, fd, buf, count);
    }

    /** write(2). */
    public long write(int fd, long buf, long count) {
        return INVOKER.invokeN3(write.context, write.address, fd, buf, count);
    }

    /** socket(2). */
    public int socket(int domain, int type, int protocol) {
        return (int) INVOKER.invokeN3(socket.context, socket.address, domain, type, protocol);
    }

    /** bind(2). */
    public int bind(int fd, long addr, int addrlen) {
        return (int) INVOKER.invokeN3(bind.context, bind.address, fd, addr, addrlen);
    }

    /** recv(2). */
    public long recv(int fd, long buf, long len, int flags) {
        return INVOKER.invokeN4(recv.context, recv.address, fd, buf, len, flags);
    }

    /** epoll_create1(2). */
    public int epoll_create1(int flags) {
        return (int) INVOKER.invokeN1(epollCreate1.context, epollCreate1.address, flags);
    }

    /** epoll_ctl(2). */
    public int epoll_ctl(int epfd, int op, int fd, long event) {
        return (int) INVOKER.invokeN4(epollCtl.context, epollCtl.address, epfd, op, fd, event);
    }

    /** epoll_wait(2). */
    public int epoll_wait(int epfd, long events, int maxevents, int timeout) {
        return (int) INVOKER.invokeN4(epollWait.context, epollWait.address, epfd, events, maxevents, timeout);
    }

    /** eventfd(2). */
    public int eventfd(int initval, int flags) {
        return (int) INVOKER.invokeN2(eventfd.context, eventfd.address, initval, flags);
    }

    /** timerfd_create(2). */
    public int timerfd_create(int clockid, int flags) {
        return (int) INVOKER.invokeN2(timerfdCreate.context, timerfdCreate.address, clockid, flags);
    }

    /** timerfd_settime(2); {@code oldValue} may be 0. */
    public int timerfd_settime(int fd, int flags, long newValue, long oldValue) {
        return (int) INVOKER.invokeN4(timerfdSettime.context, timerfdSettime.address, fd, flags, newValue, oldValue);
    }

    /** mount(2); {@code data} may be null. */
    public int mount(String source, String target, String fstype, long flags, String data) {
        NativeBuffer s = NativeBuffer.cString(source);
        NativeBuffer t = NativeBuffer.cString(target);
        NativeBuffer f = NativeBuffer.cString(fstype);
        NativeBuffer d = data == null ? null : NativeBuffer.cString(data);
        try {
            return (int) INVOKER.invokeN5(mount.context, mount.address, s.address(), t.address(), f.address(), flags,
                    d == null ? 0 : d.address());
        } finally {
            java.lang.ref.Reference.reachabilityFence(s);
            java.lang.ref.Reference.reachabilityFence(t);
            java.lang.ref.Reference.reachabilityFence(f);
            java.lang.ref.Reference.reachabilityFence(d);
        }
    }

    /** sched_setaffinity(2). */
    public int sched_setaffinity(int pid, long cpusetsize, long mask) {
        return (int) INVOKER.invokeN3(schedSetaffinity.context, schedSetaffinity.address, pid, cpusetsize, mask);
    }

    /** sched_getaffinity(2). */
    public int sched_getaffinity(int pid, long cpusetsize, long mask) {
        return (int) INVOKER.invokeN3(schedGetaffinity.context, schedGetaffinity.address, pid, cpusetsize, mask);
    }

    /** getpgid(2). */
    public int getpgid(int pid) {
        return (int) INVOKER.invokeN1(getpgid.context, getpgid.address, pid);
    }

    /** getpid(2). */
    public int getpid() {
        return (int) INVOKER.invokeN0(getpid.context, getpid.address);
    }

    /** gettid(2). */
    public int gettid() {
        return (int) INVOKER.invokeN0(gettid.context, gettid.address);
    }

    /** sysconf(3). */
    public long sysconf(int name) {
        return INVOKER.invokeN1(sysconf.context, sysconf.address, name);
    }
}
