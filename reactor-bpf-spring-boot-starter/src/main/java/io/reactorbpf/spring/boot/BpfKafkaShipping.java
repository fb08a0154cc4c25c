package io.reactorbpf.spring.boot;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.value.BtfJsonDecoder;
import io.reactorbpf.core.btf.value.BtfValueException;
import io.reactorbpf.kafka.KafkaSink;
import io.reactorbpf.kafka.SampleFormat;
import io.reactorbpf.kafka.SinkTotals;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import reactor.core.scheduler.Schedulers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Ships every {@link BpfEventStream} whose {@code kafka-topic} is set to its topic with a {@link KafkaSink}, over one
 * producer made from {@code reactorbpf.kafka.*}. Starts one phase before {@link BpfStreamLifecycle}, so each shipment
 * subscribes before its stream's rings open and sees every event; stops one phase after it, so the streams have
 * completed (their rings handed out) when it waits for every record in flight to settle, then closes the producer.
 * A shipment is one subscriber of its shared stream: when the broker is slow its subscriber buffer fills, and what
 * it drops is counted and shipped as loss records ({@code cpu} {@link BpfEventStream#SUBSCRIBER}).
 *
 * <p>Threading: Spring calls it on the thread that refreshes or closes the context; records are sent from a
 * Reactor scheduler thread, demand comes from the producer's I/O thread. Owns the producer.
 */
final class BpfKafkaShipping implements SmartLifecycle {

    /** How long a stop waits for the records in flight, beyond the streams' own end. */
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_BLOCK_MS = 1000;

    private final BpfProperties properties;
    private final BpfKafkaProperties kafka;
    private final BpfObjectLoader loader;
    private final ObjectProvider<BpfEventStream> streams;
    /** Told of each shipment as it starts (the meters); called on the starting thread. */
    private final ObjectProvider<Consumer<Shipment>> observers;
    private final List<Shipment> shipments = new ArrayList<>();
    private KafkaProducer<byte[], byte[]> producer;
    private volatile boolean running;

    /** One stream being shipped: its sink and what its shipment will end with. */
    record Shipment(BpfEventStream stream, KafkaSink sink, CompletableFuture<SinkTotals> totals) {
    }

    BpfKafkaShipping(BpfProperties properties, BpfKafkaProperties kafka, BpfObjectLoader loader,
                     ObjectProvider<BpfEventStream> streams, ObjectProvider<Consumer<Shipment>> observers) {
        this.properties = properties;
        this.kafka = kafka;
        this.loader = loader;
        this.streams = streams;
        this.observers = observers;
    }

    /**
     * Subscribes a shipment to every stream with a kafka-topic. Throws a {@link BpfPropertyException} naming the
     * property when the producer cannot be made or a kafka-type is no struct of the object's BTF.
     */
    @Override
    public synchronized void start() {
        try {
            startShipments();
        } catch (RuntimeException e) {
            // a failed start is not stopped: cancel what started and release the producer here
            shipments.forEach(s -> s.totals().cancel(true));
            shipments.clear();
            if (producer != null) {
                producer.close(Duration.ZERO);
                producer = null;
            }
            throw e;
        }
        running = true;
    }

    private void startShipments() {
        for (BpfEventStream stream : streams.orderedStream().toList()) {
            BpfStreamProperties p = properties.objects().get(stream.object()).streams().get(stream.map());
            if (p == null || p.kafkaTopic() == null) {
                continue;
            }
            KafkaSink.Builder sink = KafkaSink.builder(producer(), p.kafkaTopic()).maxInFlight(kafka.maxInFlight())
                    .format(format(stream, p));
            if (kafka.host() != null) {
                sink.host(kafka.host());
            }
            KafkaSink built = sink.build();
            // the sink sends on the thread that emits: a scheduler's, not the producer's I/O thread that requests
            CompletableFuture<SinkTotals> totals = built.ship(stream.events().publishOn(Schedulers.boundedElastic()))
                    .toFuture();
            Shipment shipment = new Shipment(stream, built, totals);
            shipments.add(shipment);
            observers.orderedStream().forEach(o -> o.accept(shipment));
        }
    }

    private SampleFormat format(BpfEventStream stream, BpfStreamProperties p) {
        if (p.kafkaType() == null) {
            return SampleFormat.json();
        }
        String property = stream.property() + ".kafka-type";
        Btf btf = loader.btf(stream.object()).orElseThrow(() -> new BpfPropertyException(property,
                "object '" + stream.object() + "' has no BTF (compile it with -g), so its samples cannot be decoded"));
        try {
            return SampleFormat.json(BtfJsonDecoder.forType(btf, p.kafkaType()));
        } catch (BtfValueException e) {
            throw new BpfPropertyException(property, e);
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer != null) {
            return producer;
        }
        if (kafka.bootstrapServers() == null || kafka.bootstrapServers().isBlank()) {
            throw new BpfPropertyException("reactorbpf.kafka.bootstrap-servers", "a stream has a kafka-topic, so the"
                    + " brokers to ship it to are needed (host:port,...)");
        }
        Map<String, Object> config = new HashMap<>(kafka.producer());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        try {
            producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            throw new BpfPropertyException("reactorbpf.kafka.producer", e.getCause() != null ? e.getCause() : e);
        }
        return producer;
    }

    /** The shipments, in the order they started. */
    synchronized List<Shipment> shipments() {
        return List.copyOf(shipments);
    }

    /** Waits for each shipment, its stream completed before, to settle; then closes the producer. */
    @Override
    public synchronized void stop() {
        running = false;
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        for (Shipment s : shipments) {
            try {
                s.totals.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // unsettled records are failed by the close below and counted in the sink's counters
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 1;
    }
}
