package io.reactorbpf.perf;

/**
 * Values of {@code perf_event_header.type} ({@code enum perf_event_type} in the kernel's uapi
 * {@code linux/perf_event.h}). A BPF output ring carries {@link #SAMPLE} and {@link #LOST}, and may carry
 * {@link #THROTTLE}/{@link #UNTHROTTLE}; a reader skips any other type by its size. Constants only.
 *
 * @since 0.1
 */
public final class PerfRecordType {

    /** A process mapped executable memory (PERF_RECORD_MMAP); not on BPF output rings. */
    public static final int MMAP = 1;
    /** Body {@code u64 id; u64 lost}: the kernel dropped {@code lost} samples because the ring was full. */
    public static final int LOST = 2;
    /** A process changed its comm, by exec or prctl. */
    public static final int COMM = 3;
    /** A process exited. */
    public static final int EXIT = 4;
    /** The kernel throttled the event for exceeding the sample rate limit. */
    public static final int THROTTLE = 5;
    /** The kernel lifted a throttle. */
    public static final int UNTHROTTLE = 6;
    /** A process forked. */
    public static final int FORK = 7;
    /** The counter values of an inherited event. */
    public static final int READ = 8;
    /** With {@code sample_type = PERF_SAMPLE_RAW}, body {@code u32 size; u8 data[size]}. */
    public static final int SAMPLE = 9;
    /** A memory mapping with inode and build-id details. */
    public static final int MMAP2 = 10;
    /** New data in the AUX area (hardware tracing). */
    public static final int AUX = 11;
    /** Instruction tracing started in a process. */
    public static final int ITRACE_START = 12;
    /** Samples the hardware or a software event lost, as opposed to a full ring. */
    public static final int LOST_SAMPLES = 13;
    /** A context switch into or out of the monitored task. */
    public static final int SWITCH = 14;
    /** A context switch on a CPU-wide event, with the other task. */
    public static final int SWITCH_CPU_WIDE = 15;
    /** A task's namespaces. */
    public static final int NAMESPACES = 16;
    /** A kernel symbol, such as a BPF program's JIT image, was registered or unregistered. */
    public static final int KSYMBOL = 17;
    /** A BPF program was loaded or unloaded. */
    public static final int BPF_EVENT = 18;
    /** A cgroup was created, with its path. */
    public static final int CGROUP = 19;
    /** The kernel patched its own text. */
    public static final int TEXT_POKE = 20;
    /** The hardware id of AUX output. */
    public static final int AUX_OUTPUT_HW_ID = 21;

    private static final String[] NAMES = {
        null, "MMAP", "LOST", "COMM", "EXIT", "THROTTLE", "UNTHROTTLE", "FORK", "READ", "SAMPLE", "MMAP2", "AUX",
        "ITRACE_START", "LOST_SAMPLES", "SWITCH", "SWITCH_CPU_WIDE", "NAMESPACES", "KSYMBOL", "BPF_EVENT",
        "CGROUP", "TEXT_POKE", "AUX_OUTPUT_HW_ID",
    };

    private PerfRecordType() {
    }

    /**
     * The kernel's name without the {@code PERF_RECORD_} prefix, or {@code "UNKNOWN(n)"}.
     *
     * @param type a {@code perf_event_header.type} value
     * @return its name, such as {@code SAMPLE}
     */
    public static String name(int type) {
        if (type > 0 && type < NAMES.length) {
            return NAMES[type];
        }
        return "UNKNOWN(" + Integer.toUnsignedString(type) + ")";
    }
}
