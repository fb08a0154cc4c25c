package io.reactorbpf.core.object;

/**
 * How a program is attached, as its section name says; {@link #NONE} for programs that are not auto-attached.
 *
 * @since 0.1
 */
public enum AttachKind {
    /** A static kernel tracepoint, "GROUP/NAME" (SEC("tracepoint/...") or SEC("tp/...")), with a perf event. */
    TRACEPOINT,
    /** A raw tracepoint by name (SEC("raw_tracepoint/...") or SEC("raw_tp/...")), with BPF_RAW_TRACEPOINT_OPEN. */
    RAW_TRACEPOINT,
    /** A BTF-typed target, tp_btf, fentry, fexit or fmod_ret: the kernel BTF type the program was loaded against. */
    TRACING,
    /** A kernel function's entry or an offset in it, "FUNCTION[+OFFSET]", with a kprobe perf event. */
    KPROBE,
    /** A kernel function's return, "FUNCTION", with a kretprobe perf event. */
    KRETPROBE,
    /** A user function's entry or an offset in it, "BINARY:FUNCTION[+OFFSET]", with a uprobe perf event. */
    UPROBE,
    /** A user function's return, "BINARY:FUNCTION", with a uretprobe perf event. */
    URETPROBE,
    /**
     * A USDT probe, "PATH:PROVIDER:NAME" (SEC("usdt/...")), for a program built with libbpf's bpf/usdt.bpf.h: a
     * uprobe on each of the probe's sites with its argument specs in the object's {@code __bpf_usdt_specs} map.
     */
    USDT,
    /**
     * A perf event opened on every online CPU, "EVENT@HZ" or "EVENT/PERIOD" with EVENT as perf(1) names it
     * ({@code cpu-clock@99}, {@code cache-misses/100}), for a PERF_EVENT program ({@code SEC("perf_event")}), which
     * runs at each sample; set with {@link ProgramSpec#attach}, since the section names no event.
     */
    PERF_EVENT,
    /** Not attached by {@link BpfProgram#attach()}: the section names no target the loader knows how to attach. */
    NONE
}
