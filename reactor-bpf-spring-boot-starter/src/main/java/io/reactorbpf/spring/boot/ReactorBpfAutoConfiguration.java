package io.reactorbpf.spring.boot;

import io.reactorbpf.core.object.BpfObject;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * The BPF objects of {@code reactorbpf.objects.*} as beans, each streamed map as a shared {@link BpfEventStream},
 * and the lifecycle that completes the streams before the web server stops (see {@link BpfStreamLifecycle}).
 * Meters ({@link BpfMetricsAutoConfiguration}) and health ({@link BpfHealthAutoConfiguration}) come when the
 * application has Micrometer and Spring Boot's health support.
 */
@AutoConfiguration
@ConditionalOnClass(BpfObject.class)
@EnableConfigurationProperties(BpfProperties.class)
public final class ReactorBpfAutoConfiguration {

    /** Reads the configured objects before any bean is made, to register a bean per object and per stream. */
    @Bean
    static BpfBeansRegistrar bpfBeansRegistrar(Environment environment) {
        return new BpfBeansRegistrar(environment);
    }

    @Bean
    BpfObjectLoader bpfObjectLoader(BpfProperties properties, ResourceLoader resources) {
        return new BpfObjectLoader(properties, resources.getClassLoader());
    }

    @Bean
    BpfStreamLifecycle bpfStreamLifecycle(ObjectProvider<BpfEventStream> streams) {
        return new BpfStreamLifecycle(streams);
    }
}
