package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.SyscallException;
import io.reactorbpf.core.sys.FileDescriptor;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's CPU hotplug notices, read from a NETLINK_KOBJECT_UEVENT socket: "online@/devices/system/cpu/cpuN"
 * and "offline@...". Non-blocking: watch {@link #fd()} with epoll and call {@link #read()} when it is ready.
 * Owned by one thread; {@link #close()} closes the socket once.
 */
public final class CpuHotplugEvents implements AutoCloseable {

    /** A CPU that went offline or came online. */
    public record Change(int cpu, boolean online) {
    }

    private static final int AF_NETLINK = 16;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_NONBLOCK = 0x800;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int NETLINK_KOBJECT_UEVENT = 15;
    private static final int KERNEL_GROUP = 1;
    private static final String CPU_PATH = "/devices/system/cpu/cpu";

    private final FileDescriptor fd;
    private final NativeBuffer buffer = NativeBuffer.allocate(8192);

    private CpuHotplugEvents(FileDescriptor fd) {
        this.fd = fd;
    }

    /** Opens a socket that receives the kernel's uevents. */
    public static CpuHotplugEvents open() {
        int s = Native.libc().socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
        if (s < 0) {
            throw new SyscallException("socket", "NETLINK_KOBJECT_UEVENT", Native.errno(), "listening for CPU hotplug");
        }
        FileDescriptor fd = new FileDescriptor(s, "uevent socket");
        // struct sockaddr_nl { u16 nl_family; u16 pad; u32 nl_pid; u32 nl_groups; }
        NativeBuffer addr = NativeBuffer.allocate(12);
        addr.buffer().putShort(0, (short) AF_NETLINK);
        addr.buffer().putInt(8, KERNEL_GROUP);
        int r = Native.libc().bind(s, addr.address(), 12);
        int errno = r < 0 ? Native.errno() : 0;
        Reference.reachabilityFence(addr);
        if (r < 0) {
            fd.close();
            throw new SyscallException("bind", "NETLINK_KOBJECT_UEVENT", errno, "listening for CPU hotplug");
        }
        return new CpuHotplugEvents(fd);
    }

    public FileDescriptor fd() {
        return fd;
    }

    /** Every CPU change waiting on the socket, in order; empty when none is. */
    public List<Change> read() {
        List<Change> changes = new ArrayList<>();
        while (true) {
            long n = Native.libc().recv(fd.fd(), buffer.address(), buffer.size(), 0);
            if (n < 0) {
                int errno = Native.errno();
                if (errno == Errno.EAGAIN.number() || errno == Errno.EINTR.number()) {
                    return changes;
                }
                if (errno == Errno.ENOBUFS.number()) {
                    // the socket overflowed; the caller re-reads the online set anyway
                    continue;
                }
                throw new SyscallException("recv", "NETLINK_KOBJECT_UEVENT", errno, fd.what());
            }
            Change c = parse(buffer.toBytes((int) n));
            if (c != null) {
                changes.add(c);
            }
        }
    }

    /** A uevent's first line, "ACTION@DEVPATH", when it is a CPU going online or offline; else null. */
    static Change parse(byte[] message) {
        int end = 0;
        while (end < message.length && message[end] != 0) {
            end++;
        }
        String head = new String(message, 0, end, StandardCharsets.US_ASCII);
        int at = head.indexOf('@');
        if (at < 0 || !head.startsWith(CPU_PATH, at + 1)) {
            return null;
        }
        String action = head.substring(0, at);
        if (!action.equals("online") && !action.equals("offline")) {
            return null;
        }
        try {
            return new Change(Integer.parseInt(head.substring(at + 1 + CPU_PATH.length())), action.equals("online"));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void close() {
        fd.close();
    }
}
