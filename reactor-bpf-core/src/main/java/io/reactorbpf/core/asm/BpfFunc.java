package io.reactorbpf.core.asm;

import java.util.Locale;

/**
 * Commonly used BPF helper functions with their ids from {@code enum bpf_func_id} (linux/bpf.h); each constant
 * is the kernel's {@code BPF_FUNC_} name in upper case. {@link Assembler#call(int)} takes any other id.
 *
 * @since 0.1
 */
public enum BpfFunc {
    /** {@code bpf_map_lookup_elem(map, key)}: a pointer to the key's value, or NULL when the key is absent. */
    MAP_LOOKUP_ELEM(1),
    /**
     * {@code bpf_map_update_elem(map, key, value, flags)}: creates or replaces an entry as flags allow (BPF_ANY,
     * BPF_NOEXIST, BPF_EXIST).
     */
    MAP_UPDATE_ELEM(2),
    /** {@code bpf_map_delete_elem(map, key)}: removes an entry; -ENOENT when there is none. */
    MAP_DELETE_ELEM(3),
    /**
     * {@code bpf_probe_read(dst, size, src)}: the old unsafe read of kernel or user memory; prefer {@link
     * #PROBE_READ_KERNEL} and {@link #PROBE_READ_USER}.
     */
    PROBE_READ(4),
    /** {@code bpf_ktime_get_ns()}: CLOCK_MONOTONIC in nanoseconds, not counting suspend. */
    KTIME_GET_NS(5),
    /** {@code bpf_trace_printk(fmt, fmt_size, ...)}: a line in the kernel's trace_pipe, for debugging only. */
    TRACE_PRINTK(6),
    /** {@code bpf_get_prandom_u32()}: a pseudo-random 32-bit number, not for cryptography. */
    GET_PRANDOM_U32(7),
    /** {@code bpf_get_smp_processor_id()}: the CPU the program runs on. */
    GET_SMP_PROCESSOR_ID(8),
    /**
     * {@code bpf_tail_call(ctx, prog_array, index)}: jumps into the program at index of a PROG_ARRAY map and does not
     * return; falls through when the slot is empty.
     */
    TAIL_CALL(12),
    /**
     * {@code bpf_get_current_pid_tgid()}: the current thread group id (the process id) in the upper 32 bits, the
     * thread id in the lower.
     */
    GET_CURRENT_PID_TGID(14),
    /** {@code bpf_get_current_uid_gid()}: the current task's gid in the upper 32 bits, its uid in the lower. */
    GET_CURRENT_UID_GID(15),
    /** {@code bpf_get_current_comm(buf, size)}: copies the current task's comm, NUL-terminated. */
    GET_CURRENT_COMM(16),
    /** {@code bpf_redirect(ifindex, flags)}: a tc or XDP verdict sending the packet to another interface. */
    REDIRECT(23),
    /**
     * {@code bpf_perf_event_output(ctx, map, flags, data, size)}: copies a sample into a PERF_EVENT_ARRAY ring, the
     * current CPU's with BPF_F_CURRENT_CPU; -ENOSPC when the ring is full, which the kernel counts as lost.
     */
    PERF_EVENT_OUTPUT(25),
    /** {@code bpf_skb_load_bytes(skb, offset, to, len)}: copies packet bytes into program memory. */
    SKB_LOAD_BYTES(26),
    /** {@code bpf_get_stackid(ctx, map, flags)}: stores the current stack in a STACK_TRACE map and returns its id. */
    GET_STACKID(27),
    /**
     * {@code bpf_get_current_task()}: the current {@code task_struct} as a plain number, to read through with {@link
     * #PROBE_READ_KERNEL}.
     */
    GET_CURRENT_TASK(35),
    /**
     * {@code bpf_probe_read_str(dst, size, src)}: the old unsafe string read; prefer {@link #PROBE_READ_KERNEL_STR}
     * and {@link #PROBE_READ_USER_STR}.
     */
    PROBE_READ_STR(45),
    /** {@code bpf_get_numa_node_id()}: the NUMA node of the CPU the program runs on. */
    GET_NUMA_NODE_ID(42),
    /**
     * {@code bpf_redirect_map(map, key, flags)}: an XDP verdict sending the packet through a DEVMAP, CPUMAP or XSKMAP
     * entry.
     */
    REDIRECT_MAP(51),
    /** {@code bpf_get_stack(ctx, buf, size, flags)}: copies the current kernel or user stack into program memory. */
    GET_STACK(67),
    /** {@code bpf_get_current_cgroup_id()}: the id of the current task's cgroup v2. */
    GET_CURRENT_CGROUP_ID(80),
    /** {@code bpf_map_push_elem(map, value, flags)}: pushes onto a QUEUE or STACK map. */
    MAP_PUSH_ELEM(87),
    /** {@code bpf_map_pop_elem(map, value)}: takes the next value off a QUEUE or STACK map. */
    MAP_POP_ELEM(88),
    /** {@code bpf_map_peek_elem(map, value)}: reads the next value of a QUEUE or STACK map without taking it. */
    MAP_PEEK_ELEM(89),
    /** {@code bpf_spin_lock(lock)}: takes the {@code struct bpf_spin_lock} in a map value. */
    SPIN_LOCK(93),
    /** {@code bpf_spin_unlock(lock)}: releases the lock {@link #SPIN_LOCK} took. */
    SPIN_UNLOCK(94),
    /** {@code bpf_send_signal(sig)}: sends a signal to the current process. */
    SEND_SIGNAL(109),
    /** {@code bpf_probe_read_user(dst, size, src)}: copies user memory; fails instead of faulting pages in. */
    PROBE_READ_USER(112),
    /** {@code bpf_probe_read_kernel(dst, size, src)}: copies kernel memory safely. */
    PROBE_READ_KERNEL(113),
    /**
     * {@code bpf_probe_read_user_str(dst, size, src)}: copies a NUL-terminated user string; returns its length with
     * the NUL.
     */
    PROBE_READ_USER_STR(114),
    /**
     * {@code bpf_probe_read_kernel_str(dst, size, src)}: copies a NUL-terminated kernel string; returns its length
     * with the NUL.
     */
    PROBE_READ_KERNEL_STR(115),
    /** {@code bpf_jiffies64()}: the kernel's 64-bit jiffies counter. */
    JIFFIES64(118),
    /** {@code bpf_ktime_get_boot_ns()}: CLOCK_BOOTTIME in nanoseconds, suspend included. */
    KTIME_GET_BOOT_NS(125),
    /**
     * {@code bpf_ringbuf_output(ringbuf, data, size, flags)}: copies a record into a RINGBUF map; -EAGAIN when it is
     * full, which the kernel does not count.
     */
    RINGBUF_OUTPUT(130),
    /**
     * {@code bpf_ringbuf_reserve(ringbuf, size, flags)}: space for a record in a RINGBUF map, or NULL when it is
     * full.
     */
    RINGBUF_RESERVE(131),
    /** {@code bpf_ringbuf_submit(data, flags)}: publishes a reserved record to the consumer. */
    RINGBUF_SUBMIT(132),
    /** {@code bpf_ringbuf_discard(data, flags)}: drops a reserved record; the consumer skips it. */
    RINGBUF_DISCARD(133),
    /** {@code bpf_ringbuf_query(ringbuf, flags)}: the ring's available data, size, or consumer or producer position. */
    RINGBUF_QUERY(134),
    /** {@code bpf_get_task_stack(task, buf, size, flags)}: copies another task's kernel stack into program memory. */
    GET_TASK_STACK(141),
    /**
     * {@code bpf_d_path(path, buf, size)}: the full path of a {@code struct path}, in tracing programs on allowed
     * functions.
     */
    D_PATH(147),
    /** {@code bpf_copy_from_user(dst, size, src)}: copies user memory, faulting pages in; sleepable programs only. */
    COPY_FROM_USER(148),
    /**
     * {@code bpf_get_current_task_btf()}: the current {@code task_struct} as a BTF pointer the program may
     * dereference.
     */
    GET_CURRENT_TASK_BTF(158),
    /** {@code bpf_ktime_get_coarse_ns()}: CLOCK_MONOTONIC_COARSE in nanoseconds, cheaper and tick-grained. */
    KTIME_GET_COARSE_NS(160),
    /**
     * {@code bpf_for_each_map_elem(map, callback, ctx, flags)}: calls a subprogram for every element (see {@link
     * Assembler#ldFunc}).
     */
    FOR_EACH_MAP_ELEM(164),
    /** {@code bpf_snprintf(str, size, fmt, data, data_len)}: formats into program memory. */
    SNPRINTF(165),
    /** {@code bpf_get_func_ip(ctx)}: the address of the traced function. */
    GET_FUNC_IP(173),
    /** {@code bpf_get_attach_cookie(ctx)}: the 64-bit cookie given when this program was attached. */
    GET_ATTACH_COOKIE(174),
    /** {@code bpf_trace_vprintk(fmt, fmt_size, data, data_len)}: {@link #TRACE_PRINTK} with any number of arguments. */
    TRACE_VPRINTK(177),
    /**
     * {@code bpf_find_vma(task, addr, callback, ctx, flags)}: calls a subprogram with the task's memory area holding
     * addr.
     */
    FIND_VMA(180),
    /**
     * {@code bpf_loop(nr_loops, callback, ctx, flags)}: calls a subprogram up to nr_loops times, a loop the verifier
     * checks once.
     */
    LOOP(181),
    /**
     * {@code bpf_get_func_arg(ctx, n, value)}: argument n of the traced function, in fentry, fexit and fmod_ret
     * programs.
     */
    GET_FUNC_ARG(183),
    /** {@code bpf_get_func_ret(ctx, value)}: the traced function's return value, in fexit and fmod_ret programs. */
    GET_FUNC_RET(184),
    /** {@code bpf_get_func_arg_cnt(ctx)}: how many arguments the traced function takes. */
    GET_FUNC_ARG_CNT(185),
    /** {@code bpf_map_lookup_percpu_elem(map, key, cpu)}: a pointer to another CPU's value of a per-CPU map. */
    MAP_LOOKUP_PERCPU_ELEM(195),
    /**
     * {@code bpf_ringbuf_reserve_dynptr(ringbuf, size, flags, ptr)}: reserves a record of a size known only at run
     * time.
     */
    RINGBUF_RESERVE_DYNPTR(198),
    /** {@code bpf_ktime_get_tai_ns()}: CLOCK_TAI in nanoseconds. */
    KTIME_GET_TAI_NS(208);

    private final int id;

    BpfFunc(int id) {
        this.id = id;
    }

    /**
     * The helper's id, the imm of its call instruction.
     *
     * @return the {@code BPF_FUNC_} number of linux/bpf.h
     */
    public int id() {
        return id;
    }

    /**
     * The kernel's name without the {@code bpf_} prefix, such as {@code map_lookup_elem}.
     *
     * @return the constant's name in lower case
     */
    public String kernelName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The helper with {@code id}, or null when this enum does not name it.
     *
     * @param id a helper id, such as the imm of a call instruction
     * @return the helper, or null for ids this enum leaves out
     */
    public static BpfFunc of(int id) {
        for (BpfFunc f : values()) {
            if (f.id == id) {
                return f;
            }
        }
        return null;
    }
}
