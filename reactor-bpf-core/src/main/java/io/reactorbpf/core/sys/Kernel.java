package io.reactorbpf.core.sys;

import io.reactorbpf.core.internal.sys.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Facts about the running kernel and machine.
 *
 * @since 0.1
 */
public final class Kernel {

    private static final int SC_PAGESIZE = 30;

    private Kernel() {
    }

    /**
     * The page size in bytes, sysconf(_SC_PAGESIZE): the unit of perf ring and ring buffer sizes.
     *
     * @return the page size, such as 4096
     */
    public static int pageSize() {
        return (int) Native.libc().sysconf(SC_PAGESIZE);
    }

    /**
     * The kernel release, as uname -r prints it.
     *
     * @return the release, such as {@code 6.18.0-1-amd64}
     * @throws java.io.UncheckedIOException when {@code /proc/sys/kernel/osrelease} cannot be read
     */
    public static String release() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/sys/kernel/osrelease", e);
        }
    }

    /**
     * The release as LINUX_VERSION_CODE ({@code (major << 16) + (minor << 8) + patch}, patch capped at 255), the
     * value BPF programs compare against.
     *
     * @return the version code, the value of libbpf's {@code LINUX_KERNEL_VERSION} extern
     * @throws java.io.UncheckedIOException when {@code /proc/sys/kernel/osrelease} cannot be read
     */
    public static int versionCode() {
        return versionCode(release());
    }

    static int versionCode(String release) {
        int[] v = new int[3];
        int i = 0;
        int n = 0;
        boolean digits = false;
        for (char c : release.toCharArray()) {
            if (c >= '0' && c <= '9') {
                n = n * 10 + (c - '0');
                digits = true;
            } else {
                if (digits) {
                    v[i++] = n;
                }
                n = 0;
                digits = false;
                if (c != '.' || i == 3) {
                    break;
                }
            }
        }
        if (digits && i < 3) {
            v[i] = n;
        }
        return (v[0] << 16) + (v[1] << 8) + Math.min(v[2], 255);
    }
}
