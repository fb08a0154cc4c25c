package io.reactorbpf.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Binds the meters of every stream ({@link BpfStreamMeters}) when the application has a {@link MeterRegistry}
 * bean, as Spring Boot's actuator gives it; after Spring Boot's own metrics configuration, which makes the registry.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class BpfMetricsAutoConfiguration {

    @Bean
    BpfStreamMeters bpfStreamMeters(MeterRegistry registry) {
        return new BpfStreamMeters(registry);
    }
}
