/**
 * The streams: per-CPU perf rings and BPF ring buffers as Project Reactor {@code Flux}es and as libbpf's blocking
 * polling API, user ring buffers as a Reactive Streams {@code Subscriber}, their Micrometer meters, and maps read
 * every interval as a {@code Flux} of snapshots, with their histograms.
 */
module io.reactorbpf.perf {
    requires transitive io.reactorbpf.core;
    // the streams only (PerfStream, RingBufStream, UserRingBufSink, MapSnapshots); the blocking PerfBuffer and
    // RingBuffer work without; a module that streams requires reactor.core itself (static is not transitive here, so
    // that a module path without Reactor or Jackson still compiles against this one)
    requires static reactor.core;
    requires static org.reactivestreams;
    // map snapshots' decoded keys and values (io.reactorbpf.perf.maps); nothing else needs it
    requires static tools.jackson.databind;
    requires static micrometer.core;

    exports io.reactorbpf.perf;
    exports io.reactorbpf.perf.maps;
    exports io.reactorbpf.perf.micrometer;
}
