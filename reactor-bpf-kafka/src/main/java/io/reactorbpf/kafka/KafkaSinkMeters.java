package io.reactorbpf.kafka;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters of a {@link KafkaSink}, read from its {@link SinkCounters}: bind them with
 * {@code KafkaSinkMeters.of(sink).bindTo(registry)} (Spring Boot binds a {@code MeterBinder} bean by itself). Every
 * meter carries the tag {@code topic} and the tags given to {@link #of(KafkaSink, Iterable)}; the counts add up
 * over all the sink's shipments.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>meaning</th></tr>
 * <tr><td>reactor.bpf.kafka.samples</td><td>counter</td><td>samples taken from the streams and sent</td></tr>
 * <tr><td>reactor.bpf.kafka.acknowledged</td><td>counter</td><td>sample records the broker acknowledged</td></tr>
 * <tr><td>reactor.bpf.kafka.failed</td><td>counter</td><td>sample records not delivered</td></tr>
 * <tr><td>reactor.bpf.kafka.lost</td><td>counter</td><td>samples the kernel dropped, as the streams reported</td></tr>
 * <tr><td>reactor.bpf.kafka.lost.failed</td><td>counter</td><td>loss records not delivered</td></tr>
 * <tr><td>reactor.bpf.kafka.in.flight</td><td>gauge</td><td>records sent and not yet settled</td></tr>
 * </table>
 *
 * <p>Threading: a scrape reads the counters on the scraping thread; it never waits for the sink or the producer.
 *
 * @since 0.1
 */
public final class KafkaSinkMeters implements MeterBinder {

    private final KafkaSink sink;
    private final Tags tags;

    private KafkaSinkMeters(KafkaSink sink, Tags tags) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.tags = tags.and("topic", sink.topic());
    }

    /**
     * The meters of {@code sink}.
     *
     * @param sink the sink whose counters are read
     * @return the binder; nothing is registered until {@link #bindTo} is called
     */
    public static KafkaSinkMeters of(KafkaSink sink) {
        return new KafkaSinkMeters(sink, Tags.empty());
    }

    /**
     * The meters of {@code sink}, each with {@code tags} as well as its own (e.g. {@code object=execsnoop}, to tell
     * two sinks of one topic apart).
     *
     * @param sink the sink whose counters are read
     * @param tags added to every meter
     * @return the binder; nothing is registered until {@link #bindTo} is called
     */
    public static KafkaSinkMeters of(KafkaSink sink, Iterable<Tag> tags) {
        return new KafkaSinkMeters(sink, Tags.of(tags));
    }

    /**
     * Registers the meters in {@code registry}, which keeps them for its life.
     *
     * @param registry where the meters are registered, still owned by the caller
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "reactor.bpf.kafka.samples", "samples taken from the streams and sent", SinkTotals::samples);
        counter(registry, "reactor.bpf.kafka.acknowledged", "sample records the broker acknowledged",
                SinkTotals::acknowledged);
        counter(registry, "reactor.bpf.kafka.failed", "sample records not delivered", SinkTotals::failed);
        counter(registry, "reactor.bpf.kafka.lost", "samples the kernel dropped, as the streams reported",
                SinkTotals::lost);
        counter(registry, "reactor.bpf.kafka.lost.failed", "loss records not delivered", SinkTotals::lostRecordsFailed);
        Gauge.builder("reactor.bpf.kafka.in.flight", sink.counters(), SinkCounters::inFlight).tags(tags)
                .description("records sent and not yet settled").register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, ToLongFunction<SinkTotals> count) {
        FunctionCounter.builder(name, sink.counters(), c -> count.applyAsLong(c.totals())).tags(tags)
                .description(description).register(registry);
    }
}
