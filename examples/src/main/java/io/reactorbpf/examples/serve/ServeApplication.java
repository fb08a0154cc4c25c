package io.reactorbpf.examples.serve;

import io.reactorbpf.spring.boot.BpfEventStream;
import org.springframework.beans.factory.annotation.Qualifier;
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
 * actuator (health, metrics, Prometheus). The reactor-bpf starter loads and attaches the execsnoop object and
 * shares its stream, as application.properties configures them; {@code serve}'s options override the address and
 * port.
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

    @Bean
    RouterFunction<ServerResponse> eventsRoute(@Qualifier("execsnoop.events") BpfEventStream execs) {
        EventsHandler handler = new EventsHandler(execs);
        return RouterFunctions.route().GET("/events", handler::events).build();
    }
}
