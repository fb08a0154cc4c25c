package io.reactorbpf.core.sys;

/**
 * The kernel refused a program (BPF_PROG_LOAD) or a BTF blob (BTF_LOAD). Carries the whole log the
 * kernel wrote, which says which instruction or type it rejected and why.
 */
public final class VerifierException extends SyscallException {

    private final String log;

    public VerifierException(String command, int errno, String context, String log) {
        super("bpf", command, errno, context + (log.isEmpty() ? "" : "\n--- verifier log ---\n" + log), false);
        this.log = log;
    }

    /** The verifier's (or BTF checker's) log, complete; empty when the kernel wrote none. */
    public String log() {
        return log;
    }
}
