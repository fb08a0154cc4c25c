package io.reactorbpf.perf;

/**
 * Values of {@code perf_event_header.type} ({@code enum perf_event_type} in the kernel's uapi
 * {@code linux/perf_event.h}). A BPF output ring carries {@link #SAMPLE} and {@link #LOST}, and may carry
 * {@link #THROTTLE}/{@link #UNTHROTTLE}; a reader skips any other type by its size. Constants only.
 */
public final class PerfRecordType {

    public static final int MMAP = 1;
    /** Body {@code u64 id; u64 lost}: the kernel dropped {@code lost} samples because the ring was full. */
    public static final int LOST = 2;
    public static final int COMM = 3;
    public static final int EXIT = 4;
    /** The kernel throttled the event for exceeding the sample rate limit. */
    public static final int THROTTLE = 5;
    /** The kernel lifted a throttle. */
    public static final int UNTHROTTLE = 6;
    public static final int FORK = 7;
    public static final int READ = 8;
    /** With {@code sample_type = PERF_SAMPLE_RAW}, body {@code u32 size; u8 data[size]}. */
    public static final int SAMPLE = 9;
    public static final int MMAP2 = 10;
    public static final int AUX = 11;
    public static final int ITRACE_START = 12;
    public static final int LOST_SAMPLES = 13;
    public static final int SWITCH = 14;
    public static final int SWITCH_CPU_WIDE = 15;
    public static final int NAMESPACES = 16;
    public static final int KSYMBOL = 17;
    public static final int BPF_EVENT = 18;
    public static final int CGROUP = 19;
    public static final int TEXT_POKE = 20;
    public static final int AUX_OUTPUT_HW_ID = 21;

    private static final String[] NAMES = {
        null, "MMAP", "LOST", "COMM", "EXIT", "THROTTLE", "UNTHROTTLE", "FORK", "READ", "SAMPLE", "MMAP2", "AUX",
        "ITRACE_START", "LOST_SAMPLES", "SWITCH", "SWITCH_CPU_WIDE", "NAMESPACES", "KSYMBOL", "BPF_EVENT",
        "CGROUP", "TEXT_POKE", "AUX_OUTPUT_HW_ID",
    };

    private PerfRecordType() {
    }

    /** The kernel's name without the {@code PERF_RECORD_} prefix, or {@code "UNKNOWN(n)"}. */
    public static String name(int type) {
        if (type > 0 && type < NAMES.length) {
            return NAMES[type];
        }
        return "UNKNOWN(" + Integer.toUnsignedString(type) + ")";
    }
}
