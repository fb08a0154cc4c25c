package io.reactorbpf.core.sys;

import io.reactorbpf.core.BpfException;

import java.util.Set;

/**
 * A syscall failed. Names the syscall, the command where the syscall multiplexes several (bpf's
 * {@code BPF_MAP_CREATE}, an ioctl request), the errno by name and number, and what was being done.
 *
 * @since 0.1
 */
public class SyscallException extends BpfException {

    /** The function that failed, as {@link #syscall()} returns it. */
    private final String syscall;
    /** The syscall's command, as {@link #command()} returns it. */
    private final String command;
    /** The errno by name, as {@link #errno()} returns it. */
    private final Errno errno;

    /**
     * A failed syscall, its message ending with advice for the errno where there is some (EPERM, EACCES: the
     * capabilities to grant; EBADF; ENOSYS).
     *
     * @param syscall the syscall or libc function, such as {@code bpf}
     * @param command the command, such as {@code BPF_MAP_CREATE}; empty when the call takes none
     * @param errno the positive errno value
     * @param context what was being done, such as the map or program and its attributes
     */
    public SyscallException(String syscall, String command, int errno, String context) {
        this(syscall, command, errno, context, true);
    }

    /**
     * With {@code hint} false the message omits the generic advice for the errno (the verifier's EACCES is no
     * privilege problem).
     *
     * @param syscall the syscall or libc function, such as {@code bpf}
     * @param command the command, such as {@code BPF_PROG_LOAD}; empty when the call takes none
     * @param errno the positive errno value
     * @param context what was being done, and for subclasses the explanation they add
     * @param hint whether to append the generic advice for the errno
     */
    protected SyscallException(String syscall, String command, int errno, String context, boolean hint) {
        super(message(syscall, command, errno, context, hint));
        this.syscall = syscall;
        this.command = command;
        this.errno = Errno.of(errno);
    }

    /**
     * The syscall or libc function that failed, such as {@code bpf} or {@code perf_event_open}.
     *
     * @return the function's name
     */
    public String syscall() {
        return syscall;
    }

    /**
     * The command passed to the syscall, such as {@code BPF_PROG_LOAD}; empty when it takes none.
     *
     * @return the command's name
     */
    public String command() {
        return command;
    }

    /**
     * The errno the syscall returned, for callers that handle some errors (ENOENT from a lookup, E2BIG from a
     * full map).
     *
     * @return the errno, {@link Errno#UNKNOWN} for a number the table does not name
     */
    public Errno errno() {
        return errno;
    }

    private static String message(String syscall, String command, int errno, String context, boolean withHint) {
        Errno e = Errno.of(errno);
        StringBuilder sb = new StringBuilder(syscall);
        if (command != null && !command.isEmpty()) {
            sb.append('(').append(command).append(')');
        }
        sb.append(" failed: ").append(e == Errno.UNKNOWN ? "errno" : e.name())
                .append(" (").append(errno).append(", ").append(e.description()).append(')');
        if (context != null && !context.isEmpty()) {
            sb.append(": ").append(context);
        }
        String hint = withHint ? hint(e) : null;
        if (hint != null) {
            sb.append(". ").append(hint);
        }
        return sb.toString();
    }

    private static String hint(Errno e) {
        switch (e) {
            case EPERM:
            case EACCES:
                return permissionHint(currentPrivileges());
            case EBADF:
                return "The file descriptor is closed or was never valid";
            case ENOSYS:
                return "This kernel does not implement the call";
            default:
                return null;
        }
    }

    /**
     * The advice for EPERM and EACCES given the process's {@code privileges} (null when unknown): which
     * capabilities to grant when some are missing, otherwise that the kernel refused for a reason of its own.
     */
    static String permissionHint(Privileges privileges) {
        Set<Capability> missing = privileges == null ? null : privileges.missingForBpf();
        if (missing != null && missing.isEmpty()) {
            return "The process has the capabilities BPF needs (CAP_SYS_ADMIN, or CAP_BPF and CAP_PERFMON), so the "
                    + "kernel itself refused: kernel lockdown, an LSM, or a sysctl such as "
                    + "kernel.unprivileged_bpf_disabled or kernel.perf_event_paranoid";
        }
        String advice = "root or grant CAP_BPF and CAP_PERFMON (CAP_SYS_ADMIN on kernels before 5.8)";
        return missing == null ? "Run as " + advice : "The process lacks " + missing + "; run as " + advice;
    }

    private static Privileges currentPrivileges() {
        try {
            return Privileges.current();
        } catch (RuntimeException e) {
            // without /proc the capabilities are unknown: the capability advice is the likelier help
            return null;
        }
    }
}
