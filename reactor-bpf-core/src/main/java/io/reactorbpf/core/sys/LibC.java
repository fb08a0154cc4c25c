package io.reactorbpf.core.sys;

import jnr.ffi.annotations.SaveError;

/**
 * The libc functions reactor-bpf calls, bound by JNR-FFI. Pointers are passed as raw addresses
 * ({@code long}); the typed wrappers in this package own the memory they point to.
 *
 * <p>Functions of six arguments are declared with a seventh that the C function ignores: JNR-FFI's
 * six-argument invoker passes a corrupted sixth argument on x86_64 (seen with jnr-ffi 2.2.17), while
 * seven arguments take the general path, which passes all of them intact.
 */
public interface LibC {

    /** syscall(2) with up to six arguments; {@code unused} only routes the call, see above. */
    @SaveError
    long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6, long unused);

    /** mmap(2); {@code unused} only routes the call, see above. */
    @SaveError
    long mmap(long addr, long length, int prot, int flags, int fd, long offset, long unused);

    @SaveError
    int munmap(long addr, long length);

    @SaveError
    int ioctl(int fd, long request, long arg);

    @SaveError
    int close(int fd);

    @SaveError
    int fcntl(int fd, int cmd, int arg);

    @SaveError
    long read(int fd, long buf, long count);

    @SaveError
    long write(int fd, long buf, long count);

    @SaveError
    int socket(int domain, int type, int protocol);

    @SaveError
    int bind(int fd, long addr, int addrlen);

    @SaveError
    long recv(int fd, long buf, long len, int flags);

    @SaveError
    int epoll_create1(int flags);

    @SaveError
    int epoll_ctl(int epfd, int op, int fd, long event);

    @SaveError
    int epoll_wait(int epfd, long events, int maxevents, int timeout);

    @SaveError
    int eventfd(int initval, int flags);

    @SaveError
    int mount(String source, String target, String fstype, long flags, String data);

    @SaveError
    int sched_setaffinity(int pid, long cpusetsize, long mask);

    @SaveError
    int sched_getaffinity(int pid, long cpusetsize, long mask);

    @SaveError
    int getpgid(int pid);

    int getpid();

    int gettid();

    long sysconf(int name);
}
