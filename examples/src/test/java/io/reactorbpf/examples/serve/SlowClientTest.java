package io.reactorbpf.examples.serve;

import io.micrometer.core.instrument.MeterRegistry;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading while the machine execs thousands of processes: the server keeps a bounded
 * buffer for it, drops the rest, tells it in-stream how many it lost, and its heap does not grow with the load.
 */
@KernelTest
@SpringBootTest(classes = ServeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "reactor-bpf.serve.client-buffer=64")
class SlowClientTest {

    private static final int EXECS = 4000;
    /** Each exec of the burst holds about 3 KiB of heap as a decoded event; a queue of all would be ~12 MiB. */
    private static final long HEAP_GROWTH_BOUND = 6L << 20;
    private static final Pattern CLIENT_LOST = Pattern.compile("\\{\"lost\":(\\d+),\"client\":true}");

    @LocalServerPort
    int port;

    @Autowired
    ExecBroadcast broadcast;

    @Autowired
    MeterRegistry registry;

    @Test
    void aClientThatStopsReadingLosesSignalsInStreamWhileTheHeapStaysBounded() throws Exception {
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

            socket.setSoTimeout(15_000);
            // the loss report rides ahead of the client's next signal: keep execs coming while reading
            long reported;
            reactor.core.Disposable nextSignals = Execs.markedEvery50ms("after-burst");
            try {
                reported = readUntilClientLost(socket.getInputStream());
            } finally {
                nextSignals.dispose();
            }
            // the execs that carried the report may have overflowed the buffer again before it was read
            double droppedByNow = dropped() - droppedBefore;
            assertTrue(reported > 0 && reported <= droppedByNow, "reported " + reported + " of " + droppedByNow + " dropped");
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

    /** Reads the response (now quickly) until a client-loss line shows up; returns its count. */
    private static long readUntilClientLost(InputStream in) throws Exception {
        StringBuilder seen = new StringBuilder();
        long total = 0;
        byte[] chunk = new byte[1 << 16];
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            int n = in.read(chunk);
            if (n < 0) {
                break;
            }
            total += n;
            seen.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
            Matcher m = CLIENT_LOST.matcher(seen);
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
            // keep only a tail long enough to hold a line split across reads
            if (seen.length() > 1 << 20) {
                seen.delete(0, seen.length() - 8192);
            }
        }
        throw new AssertionError("no client-loss line in " + total + " bytes of the stream, ending "
                + seen.substring(Math.max(0, seen.length() - 300)));
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
