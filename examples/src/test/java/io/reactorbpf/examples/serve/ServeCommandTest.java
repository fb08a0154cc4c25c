package io.reactorbpf.examples.serve;

import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.examples.CommandProcess;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@code serve} as a real process: Ctrl-C is a clean stop. */
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
}
