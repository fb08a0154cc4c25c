package io.reactorbpf.kafka;

import io.reactorbpf.perf.PerfEvent;
import org.apache.kafka.clients.producer.Producer;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Ships a stream of perf or BPF ring buffer events to one Kafka topic: each sample becomes one record, each loss
 * report ({@link PerfEvent.Lost}) a record of its own, all sent with a producer the caller owns.
 *
 * <p>Records: the key is {@code HOST/CPU} in UTF-8 ({@code HOST/all} for a BPF ring buffer, whose one ring serves
 * every CPU), so the producer's partitioner puts each CPU's ring of a host in one partition and the ring's order
 * is kept there (with the producer's default idempotence, retries keep it too). The header {@value #EVENT_HEADER}
 * says {@value #SAMPLE_EVENT} or {@value #LOST_EVENT}. A sample's value is made by the sink's
 * {@link SampleFormat} (JSON by default); a loss's value is {@code {"host":H,"cpu":C,"lost":N}}.
 *
 * <p>Backpressure is the producer's: a shipment requests {@link #maxInFlight()} elements at first, then one more for
 * each record the broker acknowledged or the producer gave up on. While the broker is slow or away, demand stops,
 * the stream stops reading its rings, the kernel drops what does not fit and reports it as losses, which are sent
 * once the broker catches up. Nothing is queued but the records in flight.
 *
 * <p>Threading: records are formatted and sent on the thread that delivers the stream's elements (a perf stream's
 * poller). {@code send} runs there, and may block it for up to the producer's {@code max.block.ms} when it has no
 * metadata for the topic (before the first record, or while the broker is away) or its {@code buffer.memory} is
 * full; while it blocks, the rings fill as they do without demand. Keep {@code max.block.ms} short (a second) so
 * the stream's own signals are not held up, and size {@code buffer.memory} for {@code maxInFlight} records.
 * Acknowledgements are counted, and demand requested, on the producer's I/O thread: the stream must deliver its
 * elements on a thread of its own, as {@code PerfStream} and {@code RingBufStream} do; a source that emits inside
 * {@code request} (such as {@code Flux.range}) needs {@code subscribeOn} or {@code publishOn}, or it would send from
 * the producer's I/O thread, which a blocked {@code send} stalls. The sink itself is immutable and may ship several
 * streams at once; its {@link #counters()} add them all up.
 *
 * <p>Ownership: the producer stays the caller's; the sink never flushes or closes it. Closing the producer while
 * records are in flight fails them, and the sink counts them as failed.
 *
 * @since 0.1
 */
public final class KafkaSink {

    /** The header that says what a record carries. */
    public static final String EVENT_HEADER = "bpf.event";
    /** {@value #EVENT_HEADER} of a record that carries a sample. */
    public static final String SAMPLE_EVENT = "sample";
    /** {@value #EVENT_HEADER} of a record that carries a loss report. */
    public static final String LOST_EVENT = "lost";
    /** Records in flight per shipment unless the builder says otherwise. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 1024;

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final String host;
    private final SampleFormat format;
    private final int maxInFlight;
    private final SinkCounters counters = new SinkCounters(null);

    private KafkaSink(Builder b) {
        this.producer = b.producer;
        this.topic = b.topic;
        this.host = b.host != null ? b.host : localHost();
        this.format = b.format;
        this.maxInFlight = b.maxInFlight;
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot name this host for the records' keys (" + e.getMessage()
                    + "): give it with KafkaSink.builder(...).host(name)", e);
        }
    }

    /**
     * A builder of a sink that sends to {@code topic} with {@code producer}.
     *
     * @param producer sends the records; still owned by the caller, who closes it after the shipments ended
     * @param topic    the topic every record goes to
     * @return a builder with the defaults: this host's name, JSON values, {@value #DEFAULT_MAX_IN_FLIGHT} records
     *         in flight
     */
    public static Builder builder(Producer<byte[], byte[]> producer, String topic) {
        return new Builder(producer, topic);
    }

    /**
     * Ships {@code events}: subscribing to the returned {@code Mono} subscribes to {@code events} (on the
     * subscribing thread, so a perf stream opens its rings there) and sends every element as a record. The
     * {@code Mono} emits the shipment's totals once {@code events} completed and every record sent was acknowledged
     * or failed; when {@code events} fails, it signals that error at the same moment instead (the totals are in
     * {@link #counters()}). Failed sends do not end a shipment: they are counted.
     *
     * <p>Cancelling the {@code Mono} cancels {@code events}; the records already in flight still settle and are
     * counted in {@link #counters()}, whose {@code inFlight()} reaches 0 when they have. To end a perf stream with
     * nothing left in its rings, complete it ({@code PerfStream.complete()}) rather than cancel.
     *
     * @param events the samples and loss reports, such as {@code PerfStream.events(map, options)} or
     *               {@code RingBufStream.events(map)}; one subscription per subscription of the {@code Mono}
     * @return the shipment, cold: nothing happens until it is subscribed
     */
    public Mono<SinkTotals> ship(Publisher<? extends PerfEvent> events) {
        Objects.requireNonNull(events, "events");
        return Mono.create(result -> {
            Shipment shipment = new Shipment(this, result);
            result.onCancel(shipment::cancel);
            events.subscribe(shipment);
        });
    }

    /**
     * What this sink's shipments have done so far, live; any thread.
     *
     * @return the counters, the same object for the sink's life
     */
    public SinkCounters counters() {
        return counters;
    }

    /**
     * The topic records go to.
     *
     * @return the topic's name
     */
    public String topic() {
        return topic;
    }

    /**
     * The host name in the records' keys and values.
     *
     * @return the host name
     */
    public String host() {
        return host;
    }

    /**
     * How samples become record values.
     *
     * @return the format
     */
    public SampleFormat format() {
        return format;
    }

    /**
     * The most records a shipment has in flight, counting the demand it has requested and not yet received.
     *
     * @return the bound, at least 1
     */
    public int maxInFlight() {
        return maxInFlight;
    }

    Producer<byte[], byte[]> producer() {
        return producer;
    }

    @Override
    public String toString() {
        return "KafkaSink[topic=" + topic + ", host=" + host + ", " + format + ", maxInFlight=" + maxInFlight + "]";
    }

    /**
     * Sets up a {@link KafkaSink}; every setting has a default. Not thread-safe; each {@link #build()} makes an
     * independent sink.
     *
     * @since 0.1
     */
    public static final class Builder {

        private final Producer<byte[], byte[]> producer;
        private final String topic;
        private String host;
        private SampleFormat format = SampleFormat.json();
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;

        private Builder(Producer<byte[], byte[]> producer, String topic) {
            this.producer = Objects.requireNonNull(producer, "producer");
            this.topic = Objects.requireNonNull(topic, "topic");
            if (topic.isEmpty()) {
                throw new IllegalArgumentException("topic must not be empty");
            }
        }

        /**
         * The host name in keys and values; by default this machine's ({@code InetAddress.getLocalHost()}).
         *
         * @param host the name, not empty and without {@code /}
         * @return this builder
         */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isEmpty() || host.indexOf('/') >= 0) {
                throw new IllegalArgumentException("host must be a non-empty name without '/', got '" + host + "'");
            }
            this.host = host;
            return this;
        }

        /**
         * How samples become record values; {@link SampleFormat#json()} by default.
         *
         * @param format the format
         * @return this builder
         */
        public Builder format(SampleFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /**
         * The most records a shipment keeps in flight: sent and not yet acknowledged or failed, plus the demand
         * requested for them. The bound on the sink's memory and on how far it runs ahead of the broker;
         * {@value KafkaSink#DEFAULT_MAX_IN_FLIGHT} by default.
         *
         * @param maxInFlight at least 1
         * @return this builder
         */
        public Builder maxInFlight(int maxInFlight) {
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
            }
            this.maxInFlight = maxInFlight;
            return this;
        }

        /**
         * The sink.
         *
         * @return a new sink with these settings
         * @throws IllegalStateException when no host was given and this machine's name cannot be found
         */
        public KafkaSink build() {
            return new KafkaSink(this);
        }
    }
}
