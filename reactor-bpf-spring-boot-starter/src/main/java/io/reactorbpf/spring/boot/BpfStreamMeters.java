package io.reactorbpf.spring.boot;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.reactorbpf.perf.PerfBufferListener;
import io.reactorbpf.perf.micrometer.PerfBufferMeters;

/**
 * The meters of every stream, in the application's {@link MeterRegistry}: the rings' {@link PerfBufferMeters}
 * ({@code reactor.bpf.perf.*}: samples and losses per CPU and per map, ring backlog) and, per stream,
 * {@code reactor.bpf.stream.dropped} (events dropped from slow subscribers' buffers) and
 * {@code reactor.bpf.stream.subscribers} (subscribers now); each tagged with the object's name ({@code object}) and
 * the map's ({@code map}). Meters read counters and never touch ring memory. Thread-safe.
 */
final class BpfStreamMeters implements StreamObserver {

    private final MeterRegistry registry;

    BpfStreamMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public PerfBufferListener rings(String object, String map) {
        return PerfBufferMeters.of(registry, Tags.of("object", object));
    }

    @Override
    public void opened(BpfEventStream stream) {
        Tags tags = Tags.of("object", stream.object(), "map", stream.map());
        FunctionCounter.builder("reactor.bpf.stream.dropped", stream, BpfEventStream::dropped).tags(tags)
                .description("events dropped from slow subscribers' buffers").register(registry);
        Gauge.builder("reactor.bpf.stream.subscribers", stream, BpfEventStream::subscribers).tags(tags)
                .description("subscribers of the stream").register(registry);
    }
}
