package io.reactorbpf.examples.serve;

import io.micrometer.core.instrument.MeterRegistry;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading while the machine execs thousands of processes: the server keeps a bounded
 * buffer for it and drops the rest (counted per client), and its heap does not grow with the load. How the
 * loss is reported in-stream is specified by ClientBufferTest.
 */
@KernelTest
@SpringBootTest(classes = ServeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "reactor-bpf.serve.client-buffer=64")
class SlowClientTest {

    private static final int EXECS = 4000;
    /** Each exec of the burst holds about 3 KiB of heap as a decoded event; a queue of all would be ~12 MiB. */
    private static final long HEAP_GROWTH_BOUND = 6L << 20;

    @LocalServerPort
    int port;

    @Autowired
    ExecBroadcast broadcast;

    @Autowired
    MeterRegistry registry;

    @Test
    void aClientThatStopsReadingLosesItsOwnSignalsWhileTheHeapStaysBounded() throws Exception {
        try (Socket socket = new Socket()) {
            // a small window, so the kernel's socket buffers fill after a few events
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: application/x-ndjson\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            awaitClients(1);
            double droppedBefore = dropped();
            long heapBefore = usedHeapAfterGc();

            Execs.burst(EXECS);

            long growth = usedHeapAfterGc() - heapBefore;
            double droppedForSlowClient = dropped() - droppedBefore;
            assertTrue(droppedForSlowClient > 0, "the slow client's buffer overflowed");
            assertTrue(growth < HEAP_GROWTH_BOUND, "heap grew by " + growth + " bytes under " + EXECS + " execs");
        }
    }

    private void awaitClients(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (broadcast.clients() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server never subscribed the client's stream");
            }
            Thread.sleep(10);
        }
    }

    private double dropped() {
        return registry.get("reactor.bpf.serve.client.dropped").counter().count();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
