package io.reactorbpf.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.reactorbpf.kafka.KafkaSinkMeters;

import java.util.function.Consumer;

/**
 * Binds the meters of every shipment to Kafka ({@link KafkaSinkMeters}, {@code reactor.bpf.kafka.*}: samples,
 * acknowledged, failed, lost, records in flight) in the application's {@link MeterRegistry}, tagged with the
 * object's name ({@code object}), the map's ({@code map}) and the topic. Called on the thread that starts the
 * context; the meters read the sink's counters, any thread.
 */
final class BpfKafkaMeters implements Consumer<BpfKafkaShipping.Shipment> {

    private final MeterRegistry registry;

    BpfKafkaMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void accept(BpfKafkaShipping.Shipment shipment) {
        KafkaSinkMeters.of(shipment.sink(), Tags.of("object", shipment.stream().object(), "map",
                shipment.stream().map())).bindTo(registry);
    }
}
