package io.reactorbpf.core.object;

import io.reactorbpf.core.attach.AttachException;
import io.reactorbpf.core.sys.PerfEventAttr;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link AttachKind#PERF_EVENT} target, {@code EVENT@HZ} (sampled at a frequency) or {@code EVENT/PERIOD} (every
 * PERIOD events), with EVENT named as perf(1) names it: {@code cpu-clock@99} is how runqlen and profile sample, a
 * hardware event such as {@code cache-misses/100} how llcstat does. Immutable.
 */
record PerfEventTarget(String event, int type, long config, boolean frequency, long rate) {

    private static final Map<String, long[]> EVENTS = new LinkedHashMap<>();

    static {
        // {type, config} as linux/perf_event.h numbers them
        EVENTS.put("cpu-clock", new long[]{PerfEventAttr.TYPE_SOFTWARE, 0});
        EVENTS.put("task-clock", new long[]{PerfEventAttr.TYPE_SOFTWARE, 1});
        EVENTS.put("page-faults", new long[]{PerfEventAttr.TYPE_SOFTWARE, 2});
        EVENTS.put("context-switches", new long[]{PerfEventAttr.TYPE_SOFTWARE, 3});
        EVENTS.put("cpu-migrations", new long[]{PerfEventAttr.TYPE_SOFTWARE, 4});
        EVENTS.put("cycles", new long[]{PerfEventAttr.TYPE_HARDWARE, 0});
        EVENTS.put("instructions", new long[]{PerfEventAttr.TYPE_HARDWARE, 1});
        EVENTS.put("cache-references", new long[]{PerfEventAttr.TYPE_HARDWARE, 2});
        EVENTS.put("cache-misses", new long[]{PerfEventAttr.TYPE_HARDWARE, 3});
        EVENTS.put("branch-instructions", new long[]{PerfEventAttr.TYPE_HARDWARE, 4});
        EVENTS.put("branch-misses", new long[]{PerfEventAttr.TYPE_HARDWARE, 5});
        EVENTS.put("ref-cycles", new long[]{PerfEventAttr.TYPE_HARDWARE, 9});
    }

    /**
     * Reads {@code EVENT@HZ} or {@code EVENT/PERIOD}.
     *
     * @throws AttachException saying the form and the events known, for a target that is neither
     */
    static PerfEventTarget parse(String target) {
        int at = target.indexOf('@');
        int slash = target.indexOf('/');
        int split = at >= 0 ? at : slash;
        if (split <= 0 || (at >= 0 && slash >= 0)) {
            throw malformed(target);
        }
        long[] event = EVENTS.get(target.substring(0, split));
        long rate;
        try {
            rate = Long.parseLong(target.substring(split + 1));
        } catch (NumberFormatException e) {
            throw malformed(target);
        }
        if (event == null || rate <= 0) {
            throw malformed(target);
        }
        return new PerfEventTarget(target.substring(0, split), (int) event[0], event[1], at >= 0, rate);
    }

    /** The event to open on each CPU. */
    PerfEventAttr attr() {
        PerfEventAttr attr = PerfEventAttr.of(type, config);
        return frequency ? attr.sampleFreq(rate) : attr.samplePeriod(rate);
    }

    private static AttachException malformed(String target) {
        return new AttachException("perf_event target '" + target + "' is not EVENT@HZ or EVENT/PERIOD with a"
                + " positive number (e.g. cpu-clock@99); EVENT is one of " + String.join(", ", EVENTS.keySet()));
    }
}
