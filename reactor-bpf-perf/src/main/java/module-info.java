/**
 * The streams: per-CPU perf rings and BPF ring buffers as Project Reactor {@code Flux}es and as libbpf's blocking
 * polling API, user ring buffers as a Reactive Streams {@code Subscriber}, and their Micrometer meters.
 */
module io.reactorbpf.perf {
    requires transitive io.reactorbpf.core;
    // the streams only (PerfStream, RingBufStream, UserRingBufSink); the blocking PerfBuffer and RingBuffer work without
    requires static transitive reactor.core;
    requires static transitive org.reactivestreams;
    requires static micrometer.core;

    exports io.reactorbpf.perf;
    exports io.reactorbpf.perf.micrometer;
}
