package io.reactorbpf.core.sys;

/**
 * The kernel refused a program (BPF_PROG_LOAD) or a BTF blob (BTF_LOAD). Carries the whole log the
 * kernel wrote, which says which instruction or type it rejected and why.
 *
 * @since 0.1
 */
public final class VerifierException extends SyscallException {

    /** The kernel's log, as {@link #log()} returns it. */
    private final String log;

    /**
     * The error for a refused load; the message carries the log after the context.
     *
     * @param command the bpf(2) command, {@code BPF_PROG_LOAD} or {@code BPF_BTF_LOAD}
     * @param errno the positive errno value, usually EACCES or EINVAL
     * @param context the program or BTF refused and where it came from
     * @param log the kernel's log, empty when it wrote none
     */
    public VerifierException(String command, int errno, String context, String log) {
        super("bpf", command, errno, context + (log.isEmpty() ? "" : "\n--- verifier log ---\n" + log), false);
        this.log = log;
    }

    /**
     * The verifier's (or BTF checker's) log, complete; empty when the kernel wrote none.
     *
     * @return the log text
     */
    public String log() {
        return log;
    }
}
