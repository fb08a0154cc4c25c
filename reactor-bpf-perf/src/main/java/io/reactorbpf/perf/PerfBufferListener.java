package io.reactorbpf.perf;

/**
 * Hears when a {@link PerfBuffer} opens and closes, to bind and unbind whatever observes it (meters, logs).
 * Called on the thread that opens or closes the buffer; must not block or throw.
 */
public interface PerfBufferListener {

    /** Listens to nothing. */
    PerfBufferListener NONE = new PerfBufferListener() {
    };

    /** After the buffer's rings are open and its map slots filled. */
    default void opened(PerfBuffer buffer) {
    }

    /** After the buffer released its rings; its counters stay readable. */
    default void closed(PerfBuffer buffer) {
    }
}
