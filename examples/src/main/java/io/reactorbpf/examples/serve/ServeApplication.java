package io.reactorbpf.examples.serve;

import io.micrometer.core.instrument.MeterRegistry;
import io.reactorbpf.examples.exec.ExecSnoopProgram;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The {@code serve} application: Spring Boot WebFlux on Reactor Netty with {@code GET /events} and the
 * actuator (health, metrics, Prometheus). Settings are in application.properties; {@code serve}'s options
 * override the address and port.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ServeApplication {

    /** Starts the server; returns once it listens. The caller closes the context: Spring installs no shutdown hook. */
    static ConfigurableApplicationContext start(String bind, int port) {
        SpringApplication app = new SpringApplication(ServeApplication.class);
        app.setRegisterShutdownHook(false);
        return app.run("--server.address=" + bind, "--server.port=" + port);
    }

    @Bean(destroyMethod = "close")
    ExecBroadcast execBroadcast(MeterRegistry registry,
                                @Value("${reactor-bpf.serve.client-buffer}") int clientBuffer) {
        ExecSnoopProgram program = ExecSnoopProgram.load(null);
        try {
            return new ExecBroadcast(program, registry, clientBuffer);
        } catch (RuntimeException e) {
            program.close();
            throw e;
        }
    }

    /** Completes the exec stream before the web server stops, so shutdown never waits for open responses. */
    @Bean
    StreamsLifecycle streamsLifecycle(ExecBroadcast broadcast) {
        return new StreamsLifecycle(broadcast);
    }

    @Bean
    RouterFunction<ServerResponse> eventsRoute(ExecBroadcast broadcast) {
        EventsHandler handler = new EventsHandler(broadcast);
        return RouterFunctions.route().GET("/events", handler::events).build();
    }
}
