package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.Capability;
import io.reactorbpf.core.sys.FilesystemAccessException;
import io.reactorbpf.core.sys.FilesystemNotMountedException;
import io.reactorbpf.core.sys.Privileges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * The kernel pseudo-filesystems reactor-bpf uses: tracefs (tracepoint ids, uprobe and kprobe events) and
 * bpffs (pinning). Each is found through /proc/self/mountinfo, and mounted at its usual place when missing
 * and this process may mount. Thread-safe; the result is looked up again on every call, so a filesystem
 * mounted later is found.
 */
public enum PseudoFs {
    TRACEFS("tracefs", Path.of("/sys/kernel/tracing"), dir -> Files.isDirectory(dir.resolve("events"))),
    BPFFS("bpf", Path.of("/sys/fs/bpf"), Files::isDirectory);

    private final String fsType;
    private final Path home;
    private final Predicate<Path> usable;

    PseudoFs(String fsType, Path home, Predicate<Path> usable) {
        this.fsType = fsType;
        this.home = home;
        this.usable = usable;
    }

    /** The filesystem type as mount(8) names it. */
    public String fsType() {
        return fsType;
    }

    /**
     * Where the filesystem is mounted, mounting it at its usual place first if it is not. Throws a
     * {@link FilesystemNotMountedException} that says how to mount it when that is impossible.
     */
    public synchronized Path mountPoint() {
        MountInfo mounts = MountInfo.current();
        Path found = find(mounts);
        if (found != null) {
            return found;
        }
        for (MountInfo.Mount m : mounts.ofType(fsType)) {
            if (!Files.isExecutable(m.mountPoint())) {
                throw unreadable(m.mountPoint());
            }
        }
        if (!Privileges.current().has(Capability.CAP_SYS_ADMIN)) {
            throw notMounted("this process lacks CAP_SYS_ADMIN to mount it");
        }
        int r = Native.libc().mount(fsType, home.toString(), fsType, 0, null);
        if (r < 0) {
            int errno = Native.errno();
            throw notMounted("mounting it failed with " + Errno.of(errno) + " (" + Errno.of(errno).description() + ")");
        }
        found = find(MountInfo.current());
        if (found == null) {
            throw notMounted("it was mounted at " + home + " but is not usable there");
        }
        return found;
    }

    /** Where the filesystem is mounted, without mounting it; null when it is not. */
    public Path find(MountInfo mounts) {
        for (MountInfo.Mount m : mounts.ofType(fsType)) {
            if (usable.test(m.mountPoint())) {
                return m.mountPoint();
            }
        }
        if (this == TRACEFS) {
            for (MountInfo.Mount m : mounts.ofType("debugfs")) {
                Path tracing = m.mountPoint().resolve("tracing");
                if (usable.test(tracing)) {
                    return tracing;
                }
            }
        }
        return null;
    }

    /** The error for a mount point this process may not search: mounted, so mounting again would not help. */
    private FilesystemAccessException unreadable(Path mountPoint) {
        String mode;
        try {
            int bits = (Integer) Files.getAttribute(mountPoint, "unix:mode");
            int owner = (Integer) Files.getAttribute(mountPoint, "unix:uid");
            // the owner of /proc/self is this process's uid
            int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            mode = "mode " + Integer.toOctalString(bits & 07777) + ", owner uid " + owner + "; this process has uid "
                    + self;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            mode = "its mode unreadable";
        }
        return new FilesystemAccessException(fsType + " is mounted at " + mountPoint + " (" + mode + "), but this"
                + " process may not look inside it: it is not the owner and lacks CAP_DAC_READ_SEARCH. Run as root,"
                + " grant CAP_DAC_READ_SEARCH, or open the mount to others as root: mount -o remount,mode=755 "
                + mountPoint);
    }

    private FilesystemNotMountedException notMounted(String why) {
        return new FilesystemNotMountedException(fsType + " is not mounted and " + why + ". Mount it as root with: mount -t "
                + fsType + " " + fsType + " " + home);
    }
}
