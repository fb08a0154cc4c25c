package io.reactorbpf.examples.serve;

import io.micrometer.core.instrument.MeterRegistry;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;
import io.reactorbpf.spring.boot.BpfEventStream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import reactor.core.Disposable;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.function.DoubleSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading while the machine execs thousands of processes: the server keeps a bounded
 * buffer for it and drops the rest (counted per client), its heap does not grow with the load, and once the
 * client reads again it learns in-stream exactly how many it lost and keeps receiving later execs.
 */
@KernelTest
@SpringBootTest(classes = ServeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "reactorbpf.objects.execsnoop.streams.events.subscriber-buffer=64")
class SlowClientTest {

    private static final int EXECS = 4000;
    /** Each exec of the burst holds about 3 KiB of heap as a decoded event; a queue of all would be ~12 MiB. */
    private static final long HEAP_GROWTH_BOUND = 6L << 20;
    private static final Pattern CLIENT_LOST = Pattern.compile("^\\{\"lost\":(\\d+),\"client\":true}$");
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("execsnoop.events")
    BpfEventStream execs;

    @Autowired
    MeterRegistry registry;

    @Test
    void aSlowClientLosesOnlyItsOwnSignalsLearnsHowManyAndKeepsStreamingWhileTheHeapStaysBounded()
            throws Exception {
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
            double droppedInBurst = dropped() - droppedBefore;
            assertTrue(droppedInBurst > 0, "the slow client's buffer overflowed");
            assertTrue(growth < HEAP_GROWTH_BOUND, "heap grew by " + growth + " bytes under " + EXECS + " execs");

            String marker = "after-burst-" + UUID.randomUUID();
            Disposable execs = Execs.markedEvery50ms(marker);
            try {
                socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
                long reported = readUntilReportedEqualsDropped(socket, marker, () -> dropped() - droppedBefore);
                assertTrue(reported >= droppedInBurst, "reported " + reported + " of " + droppedInBurst
                        + " dropped in the burst");
            } finally {
                execs.dispose();
            }
        }
    }

    /**
     * Reads the response's lines, summing the client-loss counts, until an exec line carrying {@code marker} is
     * read when that sum equals what the server counted as dropped for this client (a drop just before the
     * marker may be reported just after it); returns the sum. Fails if the stream stalls, ends or has not got
     * there within {@link #READ_TIMEOUT}.
     */
    private static long readUntilReportedEqualsDropped(Socket socket, String marker, DoubleSupplier dropped)
            throws Exception {
        BufferedReader lines = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.UTF_8));
        long reported = 0;
        long read = 0;
        String last = null;
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        try {
            for (String line = lines.readLine(); line != null && System.nanoTime() < deadline;
                 line = lines.readLine()) {
                read++;
                last = line;
                Matcher m = CLIENT_LOST.matcher(line);
                if (m.matches()) {
                    reported += Long.parseLong(m.group(1));
                } else if (line.contains(marker) && reported > 0 && reported == dropped.getAsDouble()) {
                    return reported;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the stream stalled after " + read + " lines with " + reported
                    + " reported lost of " + dropped.getAsDouble() + " dropped; the last line: " + last, e);
        }
        throw new AssertionError("the stream ended or ran past " + READ_TIMEOUT + " after " + read + " lines with "
                + reported + " reported lost of " + dropped.getAsDouble() + " dropped; the last line: " + last);
    }

    private void awaitClients(int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (execs.subscribers() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the server never subscribed the client's stream");
            }
            Thread.sleep(10);
        }
    }

    private double dropped() {
        return registry.get("reactor.bpf.stream.dropped").tags("object", "execsnoop", "map", "events")
                .functionCounter().count();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
