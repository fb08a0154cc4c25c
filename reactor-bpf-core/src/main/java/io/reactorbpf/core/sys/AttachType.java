package io.reactorbpf.core.sys;

/**
 * BPF attach types ({@code enum bpf_attach_type}).
 *
 * @since 0.1
 */
public enum AttachType {
    /** A cgroup_skb program on packets a cgroup's sockets receive. */
    CGROUP_INET_INGRESS(0),
    /** A cgroup_skb program on packets a cgroup's sockets send. */
    CGROUP_INET_EGRESS(1),
    /** A cgroup_sock program when a cgroup's task creates an inet socket. */
    CGROUP_INET_SOCK_CREATE(2),
    /** A sock_ops program on TCP events of a cgroup's sockets. */
    CGROUP_SOCK_OPS(3),
    /** An sk_skb program parsing message boundaries of a sockmap's sockets. */
    SK_SKB_STREAM_PARSER(4),
    /** An sk_skb program choosing where a sockmap socket's messages go. */
    SK_SKB_STREAM_VERDICT(5),
    /** A cgroup_device program allowing or denying device access. */
    CGROUP_DEVICE(6),
    /** An sk_msg program on sendmsg of a sockmap's sockets. */
    SK_MSG_VERDICT(7),
    /** A cgroup_sock_addr program on IPv4 bind(2). */
    CGROUP_INET4_BIND(8),
    /** A cgroup_sock_addr program on IPv6 bind(2). */
    CGROUP_INET6_BIND(9),
    /** A cgroup_sock_addr program on IPv4 connect(2). */
    CGROUP_INET4_CONNECT(10),
    /** A cgroup_sock_addr program on IPv6 connect(2). */
    CGROUP_INET6_CONNECT(11),
    /** A cgroup_sock program after an IPv4 bind(2). */
    CGROUP_INET4_POST_BIND(12),
    /** A cgroup_sock program after an IPv6 bind(2). */
    CGROUP_INET6_POST_BIND(13),
    /** A cgroup_sock_addr program on UDP sendmsg(2) over IPv4. */
    CGROUP_UDP4_SENDMSG(14),
    /** A cgroup_sock_addr program on UDP sendmsg(2) over IPv6. */
    CGROUP_UDP6_SENDMSG(15),
    /** A lirc_mode2 program decoding infrared remote signals. */
    LIRC_MODE2(16),
    /** A flow_dissector program in the network namespace's packet parser. */
    FLOW_DISSECTOR(17),
    /** A cgroup_sysctl program on /proc/sys reads and writes. */
    CGROUP_SYSCTL(18),
    /** A cgroup_sock_addr program on UDP recvmsg(2) over IPv4. */
    CGROUP_UDP4_RECVMSG(19),
    /** A cgroup_sock_addr program on UDP recvmsg(2) over IPv6. */
    CGROUP_UDP6_RECVMSG(20),
    /** A cgroup_sockopt program on getsockopt(2). */
    CGROUP_GETSOCKOPT(21),
    /** A cgroup_sockopt program on setsockopt(2). */
    CGROUP_SETSOCKOPT(22),
    /** A tracing program on a raw tracepoint with BTF-typed arguments (tp_btf). */
    TRACE_RAW_TP(23),
    /** A tracing program at a kernel function's entry (fentry). */
    TRACE_FENTRY(24),
    /** A tracing program at a kernel function's return (fexit). */
    TRACE_FEXIT(25),
    /** A tracing program that may replace a kernel function's return value (fmod_ret). */
    MODIFY_RETURN(26),
    /** An lsm program on a Linux Security Module hook. */
    LSM_MAC(27),
    /** A tracing program run for each element of a BPF iterator. */
    TRACE_ITER(28),
    /** A cgroup_sock_addr program on IPv4 getpeername(2). */
    CGROUP_INET4_GETPEERNAME(29),
    /** A cgroup_sock_addr program on IPv6 getpeername(2). */
    CGROUP_INET6_GETPEERNAME(30),
    /** A cgroup_sock_addr program on IPv4 getsockname(2). */
    CGROUP_INET4_GETSOCKNAME(31),
    /** A cgroup_sock_addr program on IPv6 getsockname(2). */
    CGROUP_INET6_GETSOCKNAME(32),
    /** An XDP program run on a DEVMAP entry's redirected packets. */
    XDP_DEVMAP(33),
    /** A cgroup_sock program when a cgroup's inet socket is released. */
    CGROUP_INET_SOCK_RELEASE(34),
    /** An XDP program run on a CPUMAP entry's redirected packets. */
    XDP_CPUMAP(35),
    /** An sk_lookup program choosing the socket for an incoming connection. */
    SK_LOOKUP(36),
    /** An XDP program on a network device, through a BPF link. */
    XDP(37),
    /** An sk_skb program choosing where a sockmap socket's packets go. */
    SK_SKB_VERDICT(38),
    /** An sk_reuseport program choosing a socket of a SO_REUSEPORT group. */
    SK_REUSEPORT_SELECT(39),
    /** An sk_reuseport program that also migrates requests of a closing socket. */
    SK_REUSEPORT_SELECT_OR_MIGRATE(40),
    /** A kprobe, uprobe, tracepoint or perf_event program on a perf event, through a BPF link. */
    PERF_EVENT(41),
    /** A kprobe program on many kernel functions at once (kprobe.multi). */
    TRACE_KPROBE_MULTI(42),
    /** An lsm program on an LSM hook, for one cgroup's tasks. */
    LSM_CGROUP(43);

    private static final AttachType[] BY_VALUE = new AttachType[44];

    static {
        for (AttachType t : values()) {
            BY_VALUE[t.value] = t;
        }
    }

    private final int value;

    AttachType(int value) {
        this.value = value;
    }

    /**
     * The kernel's number for this constant.
     *
     * @return the value of attach_type or expected_attach_type in bpf(2)'s attributes
     */
    public int value() {
        return value;
    }

    /**
     * The constant for a kernel number, or null when this table does not know it.
     *
     * @param value an {@code enum bpf_attach_type} value, such as bpf_prog_info's attach type
     * @return the attach type, or null for values newer than this table or negative
     */
    public static AttachType of(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }
}
