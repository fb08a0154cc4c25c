package io.reactorbpf.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.reactorbpf.kafka.KafkaSink;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.function.Consumer;

/**
 * Ships the streams whose {@code kafka-topic} is set to Kafka ({@link BpfKafkaShipping}), when
 * {@code reactor-bpf-kafka} is on the class path, with their meters ({@link BpfKafkaMeters}) when the application has a
 * {@code MeterRegistry}; after the objects and streams, and the registry, are configured.
 */
@AutoConfiguration(after = ReactorBpfAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass(KafkaSink.class)
@EnableConfigurationProperties(BpfKafkaProperties.class)
public final class BpfKafkaAutoConfiguration {

    @Bean
    BpfKafkaShipping bpfKafkaShipping(BpfProperties properties, BpfKafkaProperties kafka, BpfObjectLoader loader,
                                      ObjectProvider<BpfEventStream> streams,
                                      ObjectProvider<Consumer<BpfKafkaShipping.Shipment>> observers) {
        return new BpfKafkaShipping(properties, kafka, loader, streams, observers);
    }

    /** The shipments' meters, when the application has a {@link MeterRegistry} (the actuator's). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static final class Meters {

        @Bean
        BpfKafkaMeters bpfKafkaMeters(MeterRegistry registry) {
            return new BpfKafkaMeters(registry);
        }
    }
}
