package io.reactorbpf.core.sys;

/**
 * A {@code struct perf_event_attr} (linux/perf_event.h) under construction. A mutable builder; not
 * thread-safe. The syscall layer encodes it into the bytes perf_event_open(2) reads.
 */
public final class PerfEventAttr {

    /** PERF_TYPE_HARDWARE. */
    public static final int TYPE_HARDWARE = 0;
    /** PERF_TYPE_SOFTWARE. */
    public static final int TYPE_SOFTWARE = 1;
    /** PERF_TYPE_TRACEPOINT: config is a tracefs event id. */
    public static final int TYPE_TRACEPOINT = 2;
    /** PERF_COUNT_SW_CPU_CLOCK. */
    public static final long COUNT_SW_CPU_CLOCK = 0;
    /** PERF_COUNT_SW_BPF_OUTPUT: the event bpf_perf_event_output() writes to. */
    public static final long COUNT_SW_BPF_OUTPUT = 10;
    /** PERF_SAMPLE_RAW. */
    public static final long SAMPLE_RAW = 1L << 10;

    /** Bit numbers in the flags word. */
    public static final int BIT_DISABLED = 0;
    public static final int BIT_INHERIT = 1;
    public static final int BIT_FREQ = 10;
    public static final int BIT_WATERMARK = 14;
    public static final int BIT_WRITE_BACKWARD = 27;

    private int type;
    private long config;
    private long samplePeriod;
    private long sampleType;
    private long flags;
    private int wakeup;
    private long config1;
    private long config2;

    /** An attr of {@code type} with everything else zero. */
    public static PerfEventAttr of(int type, long config) {
        PerfEventAttr a = new PerfEventAttr();
        a.type = type;
        a.config = config;
        return a;
    }

    /**
     * The attr BPF output rings use: software event BPF_OUTPUT, raw samples, sample period 1, and one
     * wakeup per {@code wakeupEvents} samples.
     */
    public static PerfEventAttr bpfOutput(int wakeupEvents) {
        return of(TYPE_SOFTWARE, COUNT_SW_BPF_OUTPUT).samplePeriod(1).sampleType(SAMPLE_RAW).wakeupEvents(wakeupEvents);
    }

    public PerfEventAttr samplePeriod(long period) {
        this.samplePeriod = period;
        return flag(BIT_FREQ, false);
    }

    /** Sample at {@code hz} per second instead of every N events. */
    public PerfEventAttr sampleFreq(long hz) {
        this.samplePeriod = hz;
        return flag(BIT_FREQ, true);
    }

    public PerfEventAttr sampleType(long sampleType) {
        this.sampleType = sampleType;
        return this;
    }

    /** Wake the reader every {@code n} samples (clears the watermark bit). */
    public PerfEventAttr wakeupEvents(int n) {
        this.wakeup = n;
        return flag(BIT_WATERMARK, false);
    }

    /** Wake the reader when {@code bytes} of records are waiting (sets the watermark bit). */
    public PerfEventAttr wakeupWatermark(int bytes) {
        this.wakeup = bytes;
        return flag(BIT_WATERMARK, true);
    }

    /** Overwritable ring: the kernel writes backward and never stops at data_tail. */
    public PerfEventAttr writeBackward(boolean on) {
        return flag(BIT_WRITE_BACKWARD, on);
    }

    /** Open the event disabled; enable it with PERF_EVENT_IOC_ENABLE. */
    public PerfEventAttr disabled(boolean on) {
        return flag(BIT_DISABLED, on);
    }

    public PerfEventAttr config1(long v) {
        this.config1 = v;
        return this;
    }

    public PerfEventAttr config2(long v) {
        this.config2 = v;
        return this;
    }

    /** Sets or clears bit {@code bit} of the flags word. */
    public PerfEventAttr flag(int bit, boolean on) {
        flags = on ? flags | (1L << bit) : flags & ~(1L << bit);
        return this;
    }

    public int type() {
        return type;
    }

    public long config() {
        return config;
    }

    public long sampleType() {
        return sampleType;
    }

    /** sample_period, or sample_freq in Hz when the freq flag is set. */
    public long samplePeriod() {
        return samplePeriod;
    }

    /** config1 (for probe events: the function or path address). */
    public long config1() {
        return config1;
    }

    /** config2 (for probe events: the offset). */
    public long config2() {
        return config2;
    }

    public long flags() {
        return flags;
    }

    /** wakeup_events, or wakeup_watermark in bytes when {@link #isWatermark()}. */
    public int wakeup() {
        return wakeup;
    }

    public boolean isWatermark() {
        return (flags & (1L << BIT_WATERMARK)) != 0;
    }

    public boolean isWriteBackward() {
        return (flags & (1L << BIT_WRITE_BACKWARD)) != 0;
    }

    /** An independent copy: later changes to either leave the other as it was. */
    public PerfEventAttr copy() {
        PerfEventAttr c = of(type, config);
        c.samplePeriod = samplePeriod;
        c.sampleType = sampleType;
        c.flags = flags;
        c.wakeup = wakeup;
        c.config1 = config1;
        c.config2 = config2;
        return c;
    }

    @Override
    public String toString() {
        return "perf_event_attr{type=" + type + ", config=" + config + ", sample_type=0x" + Long.toHexString(sampleType)
                + ", flags=0x" + Long.toHexString(flags) + (isWatermark() ? ", wakeup_watermark=" : ", wakeup_events=")
                + wakeup + "}";
    }
}
