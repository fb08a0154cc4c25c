package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.PerfEventAttr;
import java.nio.ByteBuffer;

import static io.reactorbpf.core.internal.sys.AttrField.u32;
import static io.reactorbpf.core.internal.sys.AttrField.u64;

/** {@code struct perf_event_attr}'s layout (linux/perf_event.h) and the encoding of a {@link PerfEventAttr} in it. */
public final class PerfEventAttrLayout {

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

    private PerfEventAttrLayout() {
    }

    /** The struct as perf_event_open(2) reads it. */
    public static NativeBuffer encode(PerfEventAttr a) {
        NativeBuffer n = NativeBuffer.allocate(ENCODED_SIZE);
        ByteBuffer b = n.buffer();
        TYPE.put(b, a.type());
        SIZE.put(b, ENCODED_SIZE);
        CONFIG.put(b, a.config());
        SAMPLE_PERIOD.put(b, a.samplePeriod());
        SAMPLE_TYPE.put(b, a.sampleType());
        FLAGS.put(b, a.flags());
        WAKEUP_EVENTS.put(b, a.wakeup());
        CONFIG1.put(b, a.config1());
        CONFIG2.put(b, a.config2());
        return n;
    }
}
