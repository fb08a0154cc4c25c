package io.reactorbpf.core.sys;

/** The Linux capabilities that BPF and perf events need, and CAP_IPC_LOCK, which lifts the locked-memory limit on rings. */
public enum Capability {
    CAP_IPC_LOCK(14),
    CAP_SYS_ADMIN(21),
    CAP_PERFMON(38),
    CAP_BPF(39);

    private final int bit;

    Capability(int bit) {
        this.bit = bit;
    }

    /** The capability's bit number in CapEff. */
    public int bit() {
        return bit;
    }
}
