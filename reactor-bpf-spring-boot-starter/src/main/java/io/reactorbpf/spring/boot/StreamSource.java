package io.reactorbpf.spring.boot;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.perf.PerfBufferListener;
import io.reactorbpf.perf.PerfBufferOptions;
import io.reactorbpf.perf.PerfEvent;
import io.reactorbpf.perf.PerfRings;
import io.reactorbpf.perf.PerfStream;
import io.reactorbpf.perf.RingBufOptions;
import io.reactorbpf.perf.RingBufStream;
import reactor.core.publisher.Flux;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The library stream a map's type calls for, {@link PerfStream} for a PERF_EVENT_ARRAY and {@link RingBufStream}
 * for a RINGBUF, opened with the stream's properties, and its controls. Immutable.
 *
 * @param events   the stream: samples and losses; one subscription at a time
 * @param complete ends the live subscription after what the rings hold; false when none is live
 * @param rings    the rings of the live or last subscription
 */
record StreamSource(Flux<PerfEvent> events, BooleanSupplier complete, Supplier<Optional<PerfRings>> rings) {

    /**
     * The stream of {@code map} with the ring options of {@code stream} and {@code listener}; a
     * {@link BpfPropertyException} naming {@code property} when the options do not fit together.
     */
    static StreamSource of(BpfMap map, BpfStreamProperties stream, PerfBufferListener listener, String property) {
        if (map.type() == MapType.RINGBUF) {
            RingBufOptions options = RingBufOptions.defaults().withListener(listener);
            if (stream.latencyBound() != null) {
                options = options.withLatencyBound(stream.latencyBound());
            }
            RingBufStream<PerfEvent> ring = RingBufStream.events(map, options);
            return new StreamSource(ring, ring::complete, ring::rings);
        }
        if (map.type() != MapType.PERF_EVENT_ARRAY) {
            throw new BpfPropertyException(property, "map '" + map.name() + "' is of type " + map.type()
                    + "; only PERF_EVENT_ARRAY and RINGBUF maps stream events");
        }
        PerfBufferOptions.Builder options = PerfBufferOptions.builder().listener(listener);
        if (stream.pages() != null) {
            options.pages(stream.pages());
        }
        stream.wakeupChoice().ifPresent(options::wakeup);
        if (stream.latencyBound() != null) {
            options.latencyBound(stream.latencyBound());
        }
        PerfStream<PerfEvent> perf;
        try {
            perf = PerfStream.events(map, options.build());
        } catch (IllegalArgumentException e) {
            throw new BpfPropertyException(property, e);
        }
        return new StreamSource(perf, perf::complete, perf::rings);
    }
}
