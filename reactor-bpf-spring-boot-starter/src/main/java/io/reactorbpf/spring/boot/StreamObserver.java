package io.reactorbpf.spring.boot;

import io.reactorbpf.perf.PerfBufferListener;

/**
 * Observes each stream the starter opens: gives its rings a listener, and hears of the stream once it exists. The
 * meters are one ({@link BpfStreamMeters}); each bean of this type is asked for every stream. Called on the thread
 * that creates the stream beans; implementations are thread-safe.
 */
interface StreamObserver {

    /** The listener of the rings of map {@code map} of object {@code object}. */
    PerfBufferListener rings(String object, String map);

    /** The stream exists. */
    void opened(BpfEventStream stream);
}
