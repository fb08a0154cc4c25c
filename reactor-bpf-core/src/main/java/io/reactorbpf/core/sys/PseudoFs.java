package io.reactorbpf.core.sys;

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
        Path found = find(MountInfo.current());
        if (found != null) {
            return found;
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

    private FilesystemNotMountedException notMounted(String why) {
        return new FilesystemNotMountedException(fsType + " is not mounted and " + why + ". Mount it as root with: mount -t "
                + fsType + " " + fsType + " " + home);
    }
}
