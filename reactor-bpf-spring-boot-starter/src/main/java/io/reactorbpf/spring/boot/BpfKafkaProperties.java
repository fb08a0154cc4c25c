package io.reactorbpf.spring.boot;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code reactorbpf.kafka.*} properties: the producer that ships the streams whose
 * {@code reactorbpf.objects.NAME.streams.MAP.kafka-topic} is set, with {@code reactor-bpf-kafka} on the class path:
 *
 * <pre>
 * reactorbpf.kafka.bootstrap-servers=broker:9092
 * reactorbpf.kafka.producer.linger.ms=20
 * reactorbpf.objects.execsnoop.streams.events.kafka-topic=execs
 * reactorbpf.objects.execsnoop.streams.events.kafka-type=event
 * </pre>
 *
 * Immutable; bound once at start-up.
 *
 * @param bootstrapServers the brokers the producer connects to first ({@code bootstrap.servers}); required once a
 *                         stream has a kafka-topic
 * @param producer         further producer settings by their Kafka names ({@code linger.ms}, {@code acks}, ...)
 * @param maxInFlight      records sent and not yet acknowledged per stream at most; beyond, the stream's subscriber
 *                         buffer fills and drops (counted, and shipped as loss records)
 * @param host             the host name in the records' keys ({@code HOST/CPU}); this host's when unset
 */
@ConfigurationProperties("reactorbpf.kafka")
public record BpfKafkaProperties(String bootstrapServers, Map<String, String> producer,
                                 @DefaultValue("1024") int maxInFlight, String host) {

    /**
     * Copies the producer settings.
     *
     * @param bootstrapServers the brokers to connect to first, or null when nothing is shipped
     * @param producer         further producer settings
     * @param maxInFlight      records in flight per stream at most, positive
     * @param host             the host name in the keys, or null for this host's
     */
    public BpfKafkaProperties {
        producer = producer == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(producer));
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("max-in-flight must be positive, got " + maxInFlight);
        }
    }
}
