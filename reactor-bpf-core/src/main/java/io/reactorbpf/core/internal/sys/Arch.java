package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.UnsupportedPlatformException;
import java.util.Locale;

/**
 * The CPU architectures reactor-bpf runs on, with the syscall numbers that glibc offers no wrapper for.
 * Everything else goes through libc functions, which are the same on every architecture.
 */
public enum Arch {
    X86_64(321, 298),
    AARCH64(280, 241);

    private final long bpf;
    private final long perfEventOpen;

    Arch(long bpf, long perfEventOpen) {
        this.bpf = bpf;
        this.perfEventOpen = perfEventOpen;
    }

    /** The syscall number of bpf(2). */
    public long bpf() {
        return bpf;
    }

    /** The syscall number of perf_event_open(2). */
    public long perfEventOpen() {
        return perfEventOpen;
    }

    /** The architecture of this JVM. */
    public static Arch current() {
        return of(System.getProperty("os.arch"), System.getProperty("os.name"));
    }

    static Arch of(String osArch, String osName) {
        if (osName == null || !osName.toLowerCase(Locale.ROOT).contains("linux")) {
            throw new UnsupportedPlatformException("reactor-bpf needs Linux; this JVM runs on " + osName);
        }
        switch (osArch == null ? "" : osArch.toLowerCase(Locale.ROOT)) {
            case "amd64":
            case "x86_64":
                return X86_64;
            case "aarch64":
            case "arm64":
                return AARCH64;
            default:
                throw new UnsupportedPlatformException("reactor-bpf supports x86_64 and aarch64; this JVM runs on os.arch="
                        + osArch + " (add its bpf and perf_event_open syscall numbers to " + Arch.class.getName() + ")");
        }
    }
}
