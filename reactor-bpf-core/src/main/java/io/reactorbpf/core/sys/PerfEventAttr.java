package io.reactorbpf.core.sys;

/**
 * A {@code struct perf_event_attr} (linux/perf_event.h) under construction. A mutable builder; not
 * thread-safe. The syscall layer encodes it into the bytes perf_event_open(2) reads.
 *
 * @since 0.1
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

    /** Bit number in the flags word: the event starts disabled. */
    public static final int BIT_DISABLED = 0;
    /** Bit number in the flags word: child tasks inherit the event. */
    public static final int BIT_INHERIT = 1;
    /** Bit number in the flags word: the sample period is a frequency in Hz. */
    public static final int BIT_FREQ = 10;
    /** Bit number in the flags word: wake the reader by bytes waiting, not by samples. */
    public static final int BIT_WATERMARK = 14;
    /** Bit number in the flags word: the kernel writes the ring backward, overwriting old records. */
    public static final int BIT_WRITE_BACKWARD = 27;

    private int type;
    private long config;
    private long samplePeriod;
    private long sampleType;
    private long flags;
    private int wakeup;
    private long config1;
    private long config2;

    /**
     * An attr of {@code type} with everything else zero.
     *
     * @param type the event type: a {@code TYPE_} constant, or a dynamic PMU's type from
     *        {@code /sys/bus/event_source/devices/PMU/type} (kprobe, uprobe)
     * @param config the event within its type, such as {@link #COUNT_SW_BPF_OUTPUT} or a tracepoint's id
     * @return a new attr, owned by the caller
     */
    public static PerfEventAttr of(int type, long config) {
        PerfEventAttr a = new PerfEventAttr();
        a.type = type;
        a.config = config;
        return a;
    }

    /**
     * The attr BPF output rings use: software event BPF_OUTPUT, raw samples, sample period 1, and one
     * wakeup per {@code wakeupEvents} samples.
     *
     * @param wakeupEvents samples the kernel writes before it wakes the ring's reader; 1 wakes on every sample
     * @return a new attr, owned by the caller
     */
    public static PerfEventAttr bpfOutput(int wakeupEvents) {
        return of(TYPE_SOFTWARE, COUNT_SW_BPF_OUTPUT).samplePeriod(1).sampleType(SAMPLE_RAW).wakeupEvents(wakeupEvents);
    }

    /**
     * Sample every {@code period} events (clears the freq bit).
     *
     * @param period events per sample; 1 samples every event
     * @return this attr
     */
    public PerfEventAttr samplePeriod(long period) {
        this.samplePeriod = period;
        return flag(BIT_FREQ, false);
    }

    /**
     * Sample at {@code hz} per second instead of every N events (sets the freq bit).
     *
     * @param hz samples per second the kernel aims for
     * @return this attr
     */
    public PerfEventAttr sampleFreq(long hz) {
        this.samplePeriod = hz;
        return flag(BIT_FREQ, true);
    }

    /**
     * What each sample record carries.
     *
     * @param sampleType an or of {@code PERF_SAMPLE_} bits, such as {@link #SAMPLE_RAW}
     * @return this attr
     */
    public PerfEventAttr sampleType(long sampleType) {
        this.sampleType = sampleType;
        return this;
    }

    /**
     * Wake the reader every {@code n} samples (clears the watermark bit).
     *
     * @param n samples written before a poll of the ring's descriptor reports it readable
     * @return this attr
     */
    public PerfEventAttr wakeupEvents(int n) {
        this.wakeup = n;
        return flag(BIT_WATERMARK, false);
    }

    /**
     * Wake the reader when {@code bytes} of records are waiting (sets the watermark bit).
     *
     * @param bytes record bytes waiting before a poll of the ring's descriptor reports it readable
     * @return this attr
     */
    public PerfEventAttr wakeupWatermark(int bytes) {
        this.wakeup = bytes;
        return flag(BIT_WATERMARK, true);
    }

    /**
     * Overwritable ring: the kernel writes backward and never stops at data_tail.
     *
     * @param on true for an overwritable ring, false for the usual one that drops samples when full
     * @return this attr
     */
    public PerfEventAttr writeBackward(boolean on) {
        return flag(BIT_WRITE_BACKWARD, on);
    }

    /**
     * Open the event disabled; enable it with PERF_EVENT_IOC_ENABLE.
     *
     * @param on true to open it disabled
     * @return this attr
     */
    public PerfEventAttr disabled(boolean on) {
        return flag(BIT_DISABLED, on);
    }

    /**
     * Sets config1, which kprobe and uprobe PMUs read as the address of the NUL-terminated function name or
     * binary path; that native memory must stay allocated until perf_event_open returns.
     *
     * @param v the value, for probe events a native address
     * @return this attr
     */
    public PerfEventAttr config1(long v) {
        this.config1 = v;
        return this;
    }

    /**
     * Sets config2, which kprobe and uprobe PMUs read as the offset: from the function, or in the binary.
     *
     * @param v the value, for probe events an offset in bytes
     * @return this attr
     */
    public PerfEventAttr config2(long v) {
        this.config2 = v;
        return this;
    }

    /**
     * Sets or clears bit {@code bit} of the flags word.
     *
     * @param bit the bit number, such as {@link #BIT_INHERIT}, from the bitfield after read_format in
     *        linux/perf_event.h
     * @param on true sets it, false clears it
     * @return this attr
     */
    public PerfEventAttr flag(int bit, boolean on) {
        flags = on ? flags | (1L << bit) : flags & ~(1L << bit);
        return this;
    }

    /**
     * The event type.
     *
     * @return a {@code TYPE_} constant or a dynamic PMU's type
     */
    public int type() {
        return type;
    }

    /**
     * The event within its type.
     *
     * @return the config field
     */
    public long config() {
        return config;
    }

    /**
     * What each sample record carries.
     *
     * @return the {@code PERF_SAMPLE_} bits
     */
    public long sampleType() {
        return sampleType;
    }

    /**
     * sample_period, or sample_freq in Hz when the freq flag is set.
     *
     * @return the union's value
     */
    public long samplePeriod() {
        return samplePeriod;
    }

    /**
     * config1 (for probe events: the function or path address).
     *
     * @return the config1 field
     */
    public long config1() {
        return config1;
    }

    /**
     * config2 (for probe events: the offset).
     *
     * @return the config2 field
     */
    public long config2() {
        return config2;
    }

    /**
     * The flags word, the bitfield of disabled, inherit, freq, watermark, write_backward and the rest.
     *
     * @return the bits as {@link #flag(int, boolean)} left them
     */
    public long flags() {
        return flags;
    }

    /**
     * wakeup_events, or wakeup_watermark in bytes when {@link #isWatermark()}.
     *
     * @return the union's value
     */
    public int wakeup() {
        return wakeup;
    }

    /**
     * Whether {@link #wakeup()} counts bytes rather than samples.
     *
     * @return true when the watermark bit is set
     */
    public boolean isWatermark() {
        return (flags & (1L << BIT_WATERMARK)) != 0;
    }

    /**
     * Whether the ring is overwritable.
     *
     * @return true when the write_backward bit is set
     */
    public boolean isWriteBackward() {
        return (flags & (1L << BIT_WRITE_BACKWARD)) != 0;
    }

    /**
     * An independent copy: later changes to either leave the other as it was.
     *
     * @return a new attr, owned by the caller
     */
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
