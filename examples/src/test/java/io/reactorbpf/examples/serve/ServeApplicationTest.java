package io.reactorbpf.examples.serve;

import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The serve application on a random port with the real exec program: negotiation, streaming, metrics. */
@KernelTest
@SpringBootTest(classes = ServeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServeApplicationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    private WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(TIMEOUT).build();
    }

    @Test
    void ndjsonIsOneExecObjectPerLine() {
        String marker = "ndjson-" + UUID.randomUUID();
        Disposable execs = Execs.markedEvery50ms(marker);
        try {
            FluxExchangeResult<String> result = client().get().uri("/events").accept(MediaType.APPLICATION_NDJSON)
                    .exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_NDJSON)
                    .returnResult(String.class);
            String line = result.getResponseBody().filter(l -> l.contains(marker)).blockFirst(TIMEOUT);

            JsonNode exec = JSON.readTree(line);
            assertEquals("/bin/true", exec.get("args").get(0).asString());
            assertEquals(marker, exec.get("args").get(1).asString());
            assertEquals(ProcessHandle.current().pid(), exec.get("ppid").asLong());
        } finally {
            execs.dispose();
        }
    }

    @Test
    void serverSentEventsNameEachExecAndCarryItsJson() {
        String marker = "sse-" + UUID.randomUUID();
        Disposable execs = Execs.markedEvery50ms(marker);
        try {
            FluxExchangeResult<ServerSentEvent<String>> result = client().get().uri("/events")
                    .accept(MediaType.TEXT_EVENT_STREAM)
                    .exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                    .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() { });
            ServerSentEvent<String> event = result.getResponseBody()
                    .filter(e -> e.data() != null && e.data().contains(marker)).blockFirst(TIMEOUT);

            assertNotNull(event);
            assertEquals("exec", event.event());
            assertEquals(marker, JSON.readTree(event.data()).get("args").get(1).asString());
        } finally {
            execs.dispose();
        }
    }

    @Test
    void anAcceptHeaderWithNeitherTypeIsNotAcceptable() {
        client().get().uri("/events").accept(MediaType.APPLICATION_XML).exchange().expectStatus().isEqualTo(406);
    }

    @Test
    void curlReadsTheEventStreamAsItHappens() throws Exception {
        String marker = "curl-" + UUID.randomUUID();
        Process curl = new ProcessBuilder("curl", "-sN", "--max-time", "15", "-H", "Accept: text/event-stream",
                "http://127.0.0.1:" + port + "/events").start();
        Disposable execs = Execs.markedEvery50ms(marker);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(curl.getInputStream(),
                StandardCharsets.UTF_8))) {
            String previous = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data:") && line.contains(marker)) {
                    assertEquals("event:exec", previous);
                    assertEquals(marker, JSON.readTree(line.substring(5)).get("args").get(1).asString());
                    return;
                }
                previous = line;
            }
            throw new AssertionError("curl's stream ended without the marked exec");
        } finally {
            execs.dispose();
            curl.destroyForcibly();
        }
    }

    @Test
    void prometheusExposesThePerfBufferAndClientMetersOfTheExecsnoopStream() {
        String body = client().get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertNotNull(body);
        String tags = "{map=\"events\",object=\"execsnoop\"}";
        assertTrue(body.contains("reactor_bpf_perf_buffer_samples_total" + tags), body);
        assertTrue(body.contains("reactor_bpf_perf_buffer_lost_total" + tags), body);
        assertTrue(body.contains("reactor_bpf_stream_dropped_total" + tags), body);
        assertTrue(body.contains("reactor_bpf_stream_subscribers" + tags), body);
    }

    @Test
    void healthShowsTheProgramAttachedAndTheStreamLive() {
        String body = client().get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        JsonNode reactorbpf = JSON.readTree(body).get("components").get("reactorbpf");
        assertEquals("UP", reactorbpf.get("status").asString(), body);
        assertEquals(1, reactorbpf.get("details").get("objects").get("execsnoop").get("attached").asInt(), body);
        JsonNode stream = reactorbpf.get("details").get("streams").get("execsnoop.events");
        assertTrue(stream.get("live").asBoolean(), body);
        assertEquals("PERF_EVENT_ARRAY", stream.get("type").asString(), body);
    }
}
