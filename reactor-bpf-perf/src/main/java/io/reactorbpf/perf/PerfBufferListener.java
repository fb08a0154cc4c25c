package io.reactorbpf.perf;

/**
 * Hears when the rings of a perf buffer or stream open, change with CPU hotplug, and close, to bind and unbind
 * whatever observes them (meters, logs). Called on the rings' owner thread; must not block or throw.
 *
 * @since 0.1
 */
public interface PerfBufferListener {

    /** Listens to nothing. */
    PerfBufferListener NONE = new PerfBufferListener() {
    };

    /**
     * After rings opened and their map slots were filled; again, with the new set, after CPU hotplug changed
     * which rings are open (the rings missing from it were closed).
     *
     * @param rings the rings open now, with their live counters
     */
    default void opened(PerfRings rings) {
    }

    /**
     * After the rings were released; their counters stay readable.
     *
     * @param rings the rings as they were last open
     */
    default void closed(PerfRings rings) {
    }
}
