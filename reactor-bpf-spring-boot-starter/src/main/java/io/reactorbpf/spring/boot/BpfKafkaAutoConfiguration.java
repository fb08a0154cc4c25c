package io.reactorbpf.spring.boot;

import io.reactorbpf.kafka.KafkaSink;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Ships the streams whose {@code kafka-topic} is set to Kafka ({@link BpfKafkaShipping}), when
 * {@code reactor-bpf-kafka} is on the class path; after the objects and streams are configured.
 */
@AutoConfiguration(after = ReactorBpfAutoConfiguration.class)
@ConditionalOnClass(KafkaSink.class)
@EnableConfigurationProperties(BpfKafkaProperties.class)
public final class BpfKafkaAutoConfiguration {

    @Bean
    BpfKafkaShipping bpfKafkaShipping(BpfProperties properties, BpfKafkaProperties kafka, BpfObjectLoader loader,
                                      ObjectProvider<BpfEventStream> streams) {
        return new BpfKafkaShipping(properties, kafka, loader, streams);
    }
}
