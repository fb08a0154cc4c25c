package io.reactorbpf.core.sys;

import java.nio.ByteBuffer;

import static io.reactorbpf.core.sys.AttrField.u32;
import static io.reactorbpf.core.sys.AttrField.u64;

/**
 * A {@code struct perf_event_attr} (linux/perf_event.h) under construction. A mutable builder; not
 * thread-safe. {@link #encode()} gives the bytes perf_event_open(2) reads.
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

    /** Field layout, checked against the uapi header by a test. */
    public static final AttrField TYPE = u32("type", 0);
    public static final AttrField SIZE = u32("size", 4);
    public static final AttrField CONFIG = u64("config", 8);
    public static final AttrField SAMPLE_PERIOD = u64("sample_period", 16);
    public static final AttrField SAMPLE_FREQ = u64("sample_freq", 16);
    public static final AttrField SAMPLE_TYPE = u64("sample_type", 24);
    public static final AttrField READ_FORMAT = u64("read_format", 32);
    /** The bitfield word after read_format (disabled, inherit, ..., watermark, ..., write_backward). */
    public static final AttrField FLAGS = u64("flags", 40);
    public static final AttrField WAKEUP_EVENTS = u32("wakeup_events", 48);
    public static final AttrField WAKEUP_WATERMARK = u32("wakeup_watermark", 48);
    public static final AttrField BP_TYPE = u32("bp_type", 52);
    public static final AttrField CONFIG1 = u64("config1", 56);
    public static final AttrField CONFIG2 = u64("config2", 64);
    /** PERF_ATTR_SIZE_VER7 (Linux 5.13+); older kernels accept it when the tail is zero. */
    public static final int ENCODED_SIZE = 128;

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

    /** The struct as perf_event_open(2) reads it. */
    public NativeBuffer encode() {
        NativeBuffer n = NativeBuffer.allocate(ENCODED_SIZE);
        ByteBuffer b = n.buffer();
        TYPE.put(b, type);
        SIZE.put(b, ENCODED_SIZE);
        CONFIG.put(b, config);
        SAMPLE_PERIOD.put(b, samplePeriod);
        SAMPLE_TYPE.put(b, sampleType);
        FLAGS.put(b, flags);
        WAKEUP_EVENTS.put(b, wakeup);
        CONFIG1.put(b, config1);
        CONFIG2.put(b, config2);
        return n;
    }

    @Override
    public String toString() {
        return "perf_event_attr{type=" + type + ", config=" + config + ", sample_type=0x" + Long.toHexString(sampleType)
                + ", flags=0x" + Long.toHexString(flags) + (isWatermark() ? ", wakeup_watermark=" : ", wakeup_events=")
                + wakeup + "}";
    }
}
