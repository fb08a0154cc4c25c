package io.reactorbpf.examples.run;

import io.reactorbpf.core.internal.sys.Native;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.examples.CommandProcess;
import io.reactorbpf.kafka.KafkaBroker;
import io.reactorbpf.kafka.KafkaSink;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.reactorbpf.examples.run.RunCommandTest.SUMMARY;
import static io.reactorbpf.examples.run.RunCommandTest.TIMEOUT;
import static io.reactorbpf.examples.run.RunCommandTest.assertFailsWith;
import static io.reactorbpf.examples.run.RunCommandTest.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ship} as a real child process, sending the committed getpgid_probe object's events (one per getpgid() of
 * this test's JVM, each with its sequence number) to a real Kafka broker in this JVM, then reading the topic back.
 */
@KernelTest
class ShipCommandTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern TOTALS = Pattern.compile("ship: topic \\S+: acknowledged=(\\d+) failed=(\\d+)"
            + " lost=(\\d+) \\(acknowledged \\+ failed \\+ lost = (\\d+) samples; .*");
    private static final int CALLS = 300;

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void everyEventReachesTheTopicKeyedByHostAndCpuInOrderAndTheTotalsAccountForAllOfThem() throws Exception {
        String topic = broker.topic("execs-" + System.nanoTime(), 2);
        try (CommandProcess ship = CommandProcess.start("ship", object("getpgid_probe.bpf.o"), "--type",
                "probe_event", "--set", "target_pid=" + ProcessHandle.current().pid(),
                "--bootstrap", broker.bootstrapServers(), "--topic", topic)) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (ship.stderrLines().stream().noneMatch(l -> l.startsWith("ship: sending map 'events'"))) {
                assertTrue(ship.isAlive() && System.nanoTime() < deadline, "not sending: " + ship.stderrLines());
                Thread.onSpinWait();
            }
            GetpgidSampler.trigger(CALLS);
            ship.interrupt();
            assertEquals(0, ship.exitCode(TIMEOUT), ship.stderrLines().toString());
            List<String> err = ship.stderrLines();
            assertTrue(err.get(err.size() - 1).matches(SUMMARY), err.toString());
            Matcher totals = TOTALS.matcher(err.get(err.size() - 2));
            assertTrue(totals.matches(), err.toString());
            assertEquals(CALLS, Long.parseLong(totals.group(4)), "produced == acknowledged + failed + lost: " + err);
            assertEquals(CALLS, Long.parseLong(totals.group(1)), "a live broker acknowledges every one: " + err);

            List<ConsumerRecord<byte[], byte[]>> records = broker.read(topic, CALLS);
            assertEquals(CALLS, records.size());
            Map<String, Long> lastSeq = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                String key = new String(r.key(), StandardCharsets.UTF_8);
                JsonNode event = JSON.readTree(r.value());
                assertEquals(Native.getpid(), event.get("pid").asInt());
                assertEquals(key.substring(key.indexOf('/') + 1), event.get("cpu").asString(),
                        "the key's CPU is the ring's: " + key + " " + event);
                assertEquals(KafkaSink.SAMPLE_EVENT, new String(r.headers().lastHeader(KafkaSink.EVENT_HEADER).value(),
                        StandardCharsets.UTF_8));
                long seq = event.get("seq").asLong();
                Long before = lastSeq.put(key, seq);
                assertTrue(before == null || before < seq, "in order per key: " + before + " then " + seq);
            }
        }
    }

    @Test
    void anObjectWhoseOutputIsInMapsIsOneLineSayingWhatShipSends() throws Exception {
        assertFailsWith(List.of("ship", object("write_sizes.bpf.o"), "--bootstrap", "localhost:1", "--topic", "t"),
                "ship: object 'write_sizes' keeps its output in maps");
    }
}
