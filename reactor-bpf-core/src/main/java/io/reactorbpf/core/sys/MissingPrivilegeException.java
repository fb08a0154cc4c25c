package io.reactorbpf.core.sys;

import io.reactorbpf.core.BpfException;

import java.util.Set;

/**
 * This process lacks capabilities that BPF or perf events need.
 *
 * @since 0.1
 */
public final class MissingPrivilegeException extends BpfException {

    /** The capabilities the process lacks, as {@link #missing()} returns them. */
    private final Set<Capability> missing;

    /**
     * The error for missing capabilities; the message says how to grant them.
     *
     * @param missing the capabilities the process lacks, not empty
     */
    public MissingPrivilegeException(Set<Capability> missing) {
        super("missing capabilities " + missing + ": run as root, or grant CAP_BPF and CAP_PERFMON"
                + " (e.g. setcap cap_bpf,cap_perfmon+ep on the java binary), or CAP_SYS_ADMIN on kernels before 5.8");
        this.missing = Set.copyOf(missing);
    }

    /**
     * The capabilities that are missing.
     *
     * @return an unmodifiable set
     */
    public Set<Capability> missing() {
        return missing;
    }
}
