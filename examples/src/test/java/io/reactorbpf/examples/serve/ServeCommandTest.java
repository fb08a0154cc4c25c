package io.reactorbpf.examples.serve;

import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.examples.CommandProcess;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code serve} as a real process: Ctrl-C and SIGTERM are a clean stop, at once, with clients connected, whose
 * responses end as completed streams do.
 */
@KernelTest
class ServeCommandTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    @Test
    void ctrlCClosesTheServerAndExitsZero() throws Exception {
        int port = freePort();
        try (CommandProcess serve = CommandProcess.start("serve", "--port", Integer.toString(port))) {
            serve.pokeUntil(() -> { }, line -> line.contains("Netty started on port " + port), TIMEOUT);

            serve.interrupt();

            // 0 only when the context closed (program detached, rings released) before the signal's deadline
            assertEquals(0, serve.exitCode(Duration.ofSeconds(10)), serve.stderrLines().toString());
            assertFalse(serve.stdoutLines().stream().anyMatch(l -> l.contains("Exception")),
                    serve.stdoutLines().toString());
        }
    }

    @Test
    void aMissingObjectFileIsOneLineNamingThePropertyAndExitsOne() throws Exception {
        // Spring Boot reads the property from the environment too, over application.properties
        try (CommandProcess serve = CommandProcess.start(
                List.of("env", "REACTORBPF_OBJECTS_EXECSNOOP_LOCATION=/nonexistent/execsnoop.bpf.o"),
                System.getProperty("java.class.path"), "serve", "--port", Integer.toString(freePort()))) {
            assertEquals(1, serve.exitCode(TIMEOUT), serve.stderrLines().toString());
            assertEquals(List.of("serve: reactorbpf.objects.execsnoop.location: no file /nonexistent/execsnoop.bpf.o"),
                    serve.stderrLines());
        }
    }

    @Test
    void sigtermWithAnSseAndAnNdjsonClientConnectedExitsZeroWithinASecond() throws Exception {
        stopsWithinASecondWithClientsConnected("TERM");
    }

    @Test
    void sigintWithAnSseAndAnNdjsonClientConnectedExitsZeroWithinASecond() throws Exception {
        stopsWithinASecondWithClientsConnected("INT");
    }

    /**
     * Connects an SSE and an NDJSON client with curl, waits until both have received an exec, sends the signal
     * and times the exit: the streams complete before the web server stops, so nothing waits for them.
     */
    private static void stopsWithinASecondWithClientsConnected(String signal) throws Exception {
        int port = freePort();
        String marker = "stop-" + UUID.randomUUID();
        try (CommandProcess serve = CommandProcess.start("serve", "--port", Integer.toString(port))) {
            serve.pokeUntil(() -> { }, line -> line.contains("Netty started on port " + port), TIMEOUT);
            List<Process> clients = new ArrayList<>();
            CountDownLatch received = new CountDownLatch(2);
            reactor.core.Disposable execs = Execs.markedEvery50ms(marker);
            try {
                for (String accept : List.of("text/event-stream", "application/x-ndjson")) {
                    Process curl = new ProcessBuilder("curl", "-sN", "--max-time", "30", "-H", "Accept: " + accept,
                            "http://127.0.0.1:" + port + "/events").redirectErrorStream(true).start();
                    clients.add(curl);
                    Thread reader = new Thread(() -> {
                        try (BufferedReader lines = new BufferedReader(new InputStreamReader(curl.getInputStream(),
                                StandardCharsets.UTF_8))) {
                            boolean counted = false;
                            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                                if (!counted && line.contains(marker)) {
                                    counted = true;
                                    received.countDown();
                                }
                            }
                        } catch (java.io.IOException ignored) {
                            // the client was killed
                        }
                    }, "curl-" + accept);
                    reader.setDaemon(true);
                    reader.start();
                }
                assertTrue(received.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS), "both clients received an exec");
            } finally {
                execs.dispose();
            }
            try {
                long start = System.nanoTime();
                serve.signal(signal);
                int code = serve.exitCode(Duration.ofSeconds(10));
                long millis = (System.nanoTime() - start) / 1_000_000;
                System.out.println("serve exited " + millis + " ms after SIG" + signal + " with an SSE and an NDJSON"
                        + " client connected");
                assertEquals(0, code, "exit status after SIG" + signal + "; stderr " + serve.stderrLines());
                assertTrue(millis <= 1_000, "serve exited " + millis + " ms after SIG" + signal);
                for (Process curl : clients) {
                    if (!curl.waitFor(5, TimeUnit.SECONDS)) {
                        fail("a client's response did not end with the server");
                    }
                    // 0: the response ended with its last chunk, as a completed stream ends it, not a cut connection
                    assertEquals(0, curl.exitValue(), "curl's exit status");
                }
            } finally {
                clients.forEach(Process::destroyForcibly);
            }
        }
    }
}
