package io.reactorbpf.core.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A perf ring's mmap refused with EPERM by the locked-memory limit: the kernel charges ring pages first to the
 * user's perf allowance ({@code kernel.perf_event_mlock_kb} per online CPU), the rest to the process's
 * {@code RLIMIT_MEMLOCK}, and refuses beyond both unless the process has CAP_IPC_LOCK (or
 * {@code kernel.perf_event_paranoid} is -1). The message gives the limits in force and the ways out.
 *
 * @since 0.1
 */
public final class LockedMemoryException extends SyscallException {

    private static final long UNLIMITED = -1;

    private LockedMemoryException(String context) {
        super("mmap", "", Errno.EPERM.number(), context, false);
    }

    /**
     * The error for {@code refused}, an mmap of {@code bytes} of a perf ring ({@code what}), when the locked-memory
     * limit is what refused it; empty when it cannot be (not EPERM, CAP_IPC_LOCK held, no RLIMIT_MEMLOCK, or a
     * paranoid level of -1): then the refusal came from elsewhere (an LSM) and the plain syscall error stands.
     *
     * @param refused the mmap's error
     * @param bytes the size of the mapping refused
     * @param what the ring refused, such as {@code perf ring cpu 3}
     * @return the error naming the limits in force and the ways out, or empty when the limit is not the cause
     * @throws java.io.UncheckedIOException when {@code /proc/self/status} cannot be read
     */
    public static Optional<LockedMemoryException> of(SyscallException refused, long bytes, String what) {
        if (refused.errno() != Errno.EPERM || Privileges.current().has(Capability.CAP_IPC_LOCK)
                || read("/proc/sys/kernel/perf_event_paranoid").map("-1"::equals).orElse(false)) {
            return Optional.empty();
        }
        OptionalLong memlock = memlockBytes();
        if (memlock.isPresent() && memlock.getAsLong() == UNLIMITED) {
            return Optional.empty();
        }
        String perCpu = read("/proc/sys/kernel/perf_event_mlock_kb").map(kb -> kb + " KiB").orElse("an unknown amount");
        String rlimit = memlock.isPresent() ? memlock.getAsLong() / 1024 + " KiB" : "an unknown amount";
        return Optional.of(new LockedMemoryException(bytes / 1024 + " KiB for " + what + ": the locked-memory"
                + " limit refused it. This user's perf rings may lock kernel.perf_event_mlock_kb (" + perCpu
                + ") per online CPU (" + CpuSet.online().size() + " online), and this process " + rlimit
                + " beyond that (RLIMIT_MEMLOCK), as it lacks CAP_IPC_LOCK. Raise the limit (ulimit -l, or"
                + " LimitMEMLOCK= for a systemd service), raise kernel.perf_event_mlock_kb, grant CAP_IPC_LOCK, or use"
                + " smaller rings (fewer pages)"));
    }

    /** The soft "Max locked memory" of /proc/self/limits in bytes, {@link #UNLIMITED}, or empty when unreadable. */
    private static OptionalLong memlockBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max locked memory")) {
                    String soft = line.substring("Max locked memory".length()).strip().split("\\s+")[0];
                    return OptionalLong.of(soft.equals("unlimited") ? UNLIMITED : Long.parseLong(soft));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the limit stays unnamed; the advice holds without it
        }
        return OptionalLong.empty();
    }

    /** The first line of a sysctl file, read in one read: a sysctl answers a read past offset 0 with nothing. */
    private static Optional<String> read(String file) {
        try {
            return Files.readAllLines(Path.of(file)).stream().findFirst().map(String::strip);
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
