package io.reactorbpf.core.asm;

import java.util.Locale;

/**
 * Commonly used BPF helper functions with their ids from {@code enum bpf_func_id} (linux/bpf.h); each constant
 * is the kernel's {@code BPF_FUNC_} name in upper case. {@link Assembler#call(int)} takes any other id.
 */
public enum BpfFunc {
    MAP_LOOKUP_ELEM(1),
    MAP_UPDATE_ELEM(2),
    MAP_DELETE_ELEM(3),
    PROBE_READ(4),
    KTIME_GET_NS(5),
    TRACE_PRINTK(6),
    GET_PRANDOM_U32(7),
    GET_SMP_PROCESSOR_ID(8),
    TAIL_CALL(12),
    GET_CURRENT_PID_TGID(14),
    GET_CURRENT_UID_GID(15),
    GET_CURRENT_COMM(16),
    REDIRECT(23),
    PERF_EVENT_OUTPUT(25),
    SKB_LOAD_BYTES(26),
    GET_STACKID(27),
    GET_CURRENT_TASK(35),
    PROBE_READ_STR(45),
    GET_NUMA_NODE_ID(42),
    REDIRECT_MAP(51),
    GET_STACK(67),
    GET_CURRENT_CGROUP_ID(80),
    MAP_PUSH_ELEM(87),
    MAP_POP_ELEM(88),
    MAP_PEEK_ELEM(89),
    SPIN_LOCK(93),
    SPIN_UNLOCK(94),
    SEND_SIGNAL(109),
    PROBE_READ_USER(112),
    PROBE_READ_KERNEL(113),
    PROBE_READ_USER_STR(114),
    PROBE_READ_KERNEL_STR(115),
    JIFFIES64(118),
    KTIME_GET_BOOT_NS(125),
    RINGBUF_OUTPUT(130),
    RINGBUF_RESERVE(131),
    RINGBUF_SUBMIT(132),
    RINGBUF_DISCARD(133),
    RINGBUF_QUERY(134),
    GET_TASK_STACK(141),
    D_PATH(147),
    COPY_FROM_USER(148),
    GET_CURRENT_TASK_BTF(158),
    KTIME_GET_COARSE_NS(160),
    FOR_EACH_MAP_ELEM(164),
    SNPRINTF(165),
    GET_FUNC_IP(173),
    GET_ATTACH_COOKIE(174),
    TRACE_VPRINTK(177),
    FIND_VMA(180),
    LOOP(181),
    GET_FUNC_ARG(183),
    GET_FUNC_RET(184),
    GET_FUNC_ARG_CNT(185),
    MAP_LOOKUP_PERCPU_ELEM(195),
    RINGBUF_RESERVE_DYNPTR(198),
    KTIME_GET_TAI_NS(208);

    private final int id;

    BpfFunc(int id) {
        this.id = id;
    }

    /** The helper's id, the imm of its call instruction. */
    public int id() {
        return id;
    }

    /** The kernel's name without the {@code bpf_} prefix, such as {@code map_lookup_elem}. */
    public String kernelName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The helper with {@code id}, or null when this enum does not name it. */
    public static BpfFunc of(int id) {
        for (BpfFunc f : values()) {
            if (f.id == id) {
                return f;
            }
        }
        return null;
    }
}
