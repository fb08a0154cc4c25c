package io.reactorbpf.spring.boot;

import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.perf.PerfEvent;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.Disposable;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WebFlux application serving a stream to Server-Sent Events clients, with Spring Boot's graceful shutdown and
 * its 30 s timeout: closing the context completes the streams first, so the clients' responses end and the server
 * stops within a second instead of waiting out the timeout for them. Reactor Netty's quiet period, which waits 2 s
 * after the last connection closed whatever the application does, is set to none.
 */
@KernelTest
class ShutdownWithClientsTest {

    private static final int CLIENTS = 2;

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Streaming {

        @Bean
        RouterFunction<ServerResponse> events(@Qualifier("execs.perf_events") BpfEventStream execs) {
            return RouterFunctions.route().GET("/events", request -> ServerResponse.ok()
                    .contentType(MediaType.TEXT_EVENT_STREAM)
                    .body(execs.events().ofType(PerfEvent.Sample.class)
                            .map(s -> ServerSentEvent.builder(Execs.file(s)).event("exec").build()),
                            ServerSentEvent.class)).build();
        }
    }

    @Test
    void closingTheContextWithServerSentEventClientsConnectedEndsTheirResponsesAndTakesUnderASecond()
            throws Exception {
        SpringApplication app = new SpringApplication(Streaming.class);
        app.setRegisterShutdownHook(false);
        String[] args = Stream.concat(Arrays.stream(Execs.PROPERTIES),
                Stream.of("server.address=127.0.0.1", "server.port=0", "spring.main.banner-mode=off",
                        "spring.reactor.netty.shutdown-quiet-period=0s"))
                .map(p -> "--" + p).toArray(String[]::new);
        ConfigurableApplicationContext context = app.run(args);
        String port = context.getEnvironment().getProperty("local.server.port");
        List<Process> clients = new ArrayList<>();
        CountDownLatch received = new CountDownLatch(CLIENTS);
        try {
            Disposable execs = Execs.every20ms();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    Process curl = new ProcessBuilder("curl", "-sN", "--max-time", "30", "-H",
                            "Accept: text/event-stream", "http://127.0.0.1:" + port + "/events")
                            .redirectErrorStream(true).start();
                    clients.add(curl);
                    readUntilAnExec(curl, received);
                }
                assertTrue(received.await(15, TimeUnit.SECONDS), "every client received an exec");
            } finally {
                execs.dispose();
            }

            long start = System.nanoTime();
            context.close();
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println("context closed " + millis + " ms after the close began, with " + CLIENTS
                    + " SSE clients connected");
            assertTrue(millis < 1_000, "closing took " + millis + " ms");
            for (Process curl : clients) {
                assertTrue(curl.waitFor(5, TimeUnit.SECONDS), "a client's response ended with the server");
            }
        } finally {
            context.close();
            clients.forEach(Process::destroyForcibly);
        }
    }

    /** Reads the client's output on a thread of its own, counting {@code received} down at its first exec. */
    private static void readUntilAnExec(Process curl, CountDownLatch received) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(curl.getInputStream(),
                    StandardCharsets.UTF_8))) {
                boolean counted = false;
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (!counted && line.equals("data:/bin/true")) {
                        counted = true;
                        received.countDown();
                    }
                }
            } catch (java.io.IOException ignored) {
                // the client was killed
            }
        }, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }
}
