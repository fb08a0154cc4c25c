package io.reactorbpf.core.sys;

/**
 * BPF program types ({@code enum bpf_prog_type}).
 *
 * @since 0.1
 */
public enum ProgType {
    /** No type; the kernel refuses to load it. */
    UNSPEC(0),
    /** A socket filter: sees a socket's packets, returns how many bytes to keep. */
    SOCKET_FILTER(1),
    /** A kprobe or uprobe: runs at a kernel or user function's entry or return, with its registers. */
    KPROBE(2),
    /** A tc classifier on a network device's ingress or egress. */
    SCHED_CLS(3),
    /** A tc action. */
    SCHED_ACT(4),
    /** A tracepoint: runs on a static kernel trace event with its raw record. */
    TRACEPOINT(5),
    /** An XDP program: runs on each received packet in the driver, before the network stack. */
    XDP(6),
    /** A perf_event program: runs on each sample of a perf event, such as a CPU clock. */
    PERF_EVENT(7),
    /** A cgroup packet filter on ingress or egress. */
    CGROUP_SKB(8),
    /** A cgroup program on socket creation, bind and release. */
    CGROUP_SOCK(9),
    /** A lightweight tunnel program on input. */
    LWT_IN(10),
    /** A lightweight tunnel program on output. */
    LWT_OUT(11),
    /** A lightweight tunnel program on transmit. */
    LWT_XMIT(12),
    /** A program on TCP socket events, setting options. */
    SOCK_OPS(13),
    /** A program on packets of a sockmap's sockets. */
    SK_SKB(14),
    /** A cgroup program allowing or denying device access. */
    CGROUP_DEVICE(15),
    /** A program on sendmsg of a sockmap's sockets. */
    SK_MSG(16),
    /** A raw tracepoint: runs on a kernel trace event with its untyped arguments. */
    RAW_TRACEPOINT(17),
    /** A cgroup program on bind, connect, sendmsg and the like, which may rewrite the address. */
    CGROUP_SOCK_ADDR(18),
    /** A seg6local lightweight tunnel program. */
    LWT_SEG6LOCAL(19),
    /** An infrared remote decoder. */
    LIRC_MODE2(20),
    /** A program choosing a socket of a SO_REUSEPORT group. */
    SK_REUSEPORT(21),
    /** A packet flow dissector. */
    FLOW_DISSECTOR(22),
    /** A cgroup program on /proc/sys access. */
    CGROUP_SYSCTL(23),
    /** A raw tracepoint that may write its arguments' buffers. */
    RAW_TRACEPOINT_WRITABLE(24),
    /** A cgroup program on getsockopt and setsockopt. */
    CGROUP_SOCKOPT(25),
    /** A BTF-typed tracing program: tp_btf, fentry, fexit, fmod_ret or an iterator, by attach type. */
    TRACING(26),
    /** An implementation of a kernel operations struct, such as a TCP congestion control. */
    STRUCT_OPS(27),
    /** A freplace program replacing a function of another BPF program. */
    EXT(28),
    /** A Linux Security Module hook. */
    LSM(29),
    /** A program choosing the socket for an incoming connection. */
    SK_LOOKUP(30),
    /** A program run by BPF_PROG_RUN that may itself call bpf(2). */
    SYSCALL(31);

    private static final ProgType[] BY_VALUE = new ProgType[32];

    static {
        for (ProgType t : values()) {
            BY_VALUE[t.value] = t;
        }
    }

    private final int value;

    ProgType(int value) {
        this.value = value;
    }

    /**
     * The kernel's number for this constant.
     *
     * @return the value of prog_type in BPF_PROG_LOAD's attributes
     */
    public int value() {
        return value;
    }

    /**
     * The constant for a kernel number, or null when this table does not know it.
     *
     * @param value an {@code enum bpf_prog_type} value, such as bpf_prog_info's type
     * @return the program type, or null for values newer than this table or negative
     */
    public static ProgType of(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }
}
