package io.reactorbpf.core.sys;

/**
 * The Linux capabilities that BPF and perf events need, and CAP_IPC_LOCK, which lifts the locked-memory limit on rings.
 *
 * @since 0.1
 */
public enum Capability {
    /** Lifts RLIMIT_MEMLOCK, so perf rings may lock more than the user's perf allowance. */
    CAP_IPC_LOCK(14),
    /** Everything BPF needs; on kernels before 5.8 the only capability that allows it. */
    CAP_SYS_ADMIN(21),
    /** Tracing: perf events, kprobes, uprobes and tracepoints, and reading kernel memory from programs (5.8+). */
    CAP_PERFMON(38),
    /** Loading programs, creating maps and loading BTF (5.8+). */
    CAP_BPF(39);

    private final int bit;

    Capability(int bit) {
        this.bit = bit;
    }

    /**
     * The capability's bit number in CapEff.
     *
     * @return the number of linux/capability.h
     */
    public int bit() {
        return bit;
    }
}
