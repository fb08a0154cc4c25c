package io.reactorbpf.spring.boot;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code reactorbpf} health indicator ({@link BpfHealthIndicator}) when the application has Spring Boot's health
 * support, as the actuator brings it; {@code management.health.reactorbpf.enabled=false} turns it off.
 */
@AutoConfiguration(after = ReactorBpfAutoConfiguration.class,
        beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnEnabledHealthIndicator("reactorbpf")
public final class BpfHealthAutoConfiguration {

    @Bean(name = "reactorbpfHealthIndicator")
    HealthIndicator reactorbpfHealthIndicator(BpfObjectLoader loader, ObjectProvider<BpfEventStream> streams) {
        return new BpfHealthIndicator(loader, streams);
    }
}
