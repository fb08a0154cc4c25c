package io.reactorbpf.core.sys;

import io.reactorbpf.core.BpfException;

import java.util.Set;

/** This process lacks capabilities that BPF or perf events need. */
public final class MissingPrivilegeException extends BpfException {

    private final Set<Capability> missing;

    public MissingPrivilegeException(Set<Capability> missing) {
        super("missing capabilities " + missing + ": run as root, or grant CAP_BPF and CAP_PERFMON"
                + " (e.g. setcap cap_bpf,cap_perfmon+ep on the java binary), or CAP_SYS_ADMIN on kernels before 5.8");
        this.missing = Set.copyOf(missing);
    }

    /** The capabilities that are missing. */
    public Set<Capability> missing() {
        return missing;
    }
}
