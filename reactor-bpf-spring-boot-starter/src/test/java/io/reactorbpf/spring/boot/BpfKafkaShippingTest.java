package io.reactorbpf.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.kafka.KafkaBroker;
import io.reactorbpf.kafka.KafkaSink;
import io.reactorbpf.kafka.SinkTotals;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streams shipped to Kafka by the auto-configuration: the committed execs object's perf stream with a kafka-topic,
 * sent to a real broker in this JVM, every record settled when the context closes.
 */
@KernelTest
class BpfKafkaShippingTest {

    private static final int EXECS = 5;
    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    private static ApplicationContextRunner runner(String... more) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReactorBpfAutoConfiguration.class,
                        BpfKafkaAutoConfiguration.class))
                .withPropertyValues(Execs.PROPERTIES)
                .withPropertyValues(more);
    }

    @Test
    void aStreamWithAKafkaTopicIsShippedAndSettledBeforeTheContextCloses() throws Exception {
        String topic = broker.topic("execs-" + System.nanoTime(), 1);
        AtomicReference<BpfKafkaShipping.Shipment> shipment = new AtomicReference<>();
        runner("reactorbpf.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "reactorbpf.kafka.host=test-host",
                "reactorbpf.objects.execs.streams.perf_events.kafka-topic=" + topic)
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
                    List<BpfKafkaShipping.Shipment> all = context.getBean(BpfKafkaShipping.class).shipments();
                    assertEquals(1, all.size(), "only the stream with a topic is shipped");
                    shipment.set(all.get(0));
                    Execs.run(EXECS);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertEquals(topic, registry.get("reactor.bpf.kafka.acknowledged").tag("object", "execs")
                            .tag("map", "perf_events").meter().getId().getTag("topic"), "the shipment's meters");
                });
        // the context closed: the stream completed with what its rings held, every record settled
        assertTrue(shipment.get().totals().isDone(), "settled before the context finished closing");
        SinkTotals totals = shipment.get().totals().get();
        assertEquals(0, totals.failed() + totals.lost(), totals.toString());
        assertTrue(totals.acknowledged() >= EXECS, totals.toString());

        List<ConsumerRecord<byte[], byte[]>> records = broker.read(topic, totals.acknowledged());
        assertEquals(totals.acknowledged(), records.size(), "every acknowledged record is on the topic");
        int trues = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            assertTrue(new String(r.key(), StandardCharsets.UTF_8).startsWith("test-host/"));
            // without kafka-type the value is the sample in hex: struct exec_event's ppid, then file at 24
            JsonNode event = JsonMapper.builder().build().readTree(r.value());
            byte[] data = HexFormat.of().parseHex(event.get("data").asString());
            assertEquals(ProcessHandle.current().pid(),
                    ByteBuffer.wrap(data).order(ByteOrder.nativeOrder()).getInt(4), event.toString());
            if (new String(data, 24, 9, StandardCharsets.UTF_8).equals("/bin/true")) {
                trues++;
            }
        }
        assertEquals(EXECS, trues, "each /bin/true this test ran");
    }

    @Test
    void aKafkaTopicWithoutBrokersFailsStartUpNamingTheProperty() {
        runner("reactorbpf.objects.execs.streams.perf_events.kafka-topic=t").run(context -> {
            BpfPropertyException failure = propertyFailure(context.getStartupFailure());
            assertEquals("reactorbpf.kafka.bootstrap-servers", failure.property());
        });
    }

    @Test
    void aKafkaTypeTheObjectLacksFailsStartUpNamingTheProperty() {
        runner("reactorbpf.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "reactorbpf.objects.execs.streams.perf_events.kafka-topic=t",
                "reactorbpf.objects.execs.streams.perf_events.kafka-type=no_such_struct").run(context -> {
            BpfPropertyException failure = propertyFailure(context.getStartupFailure());
            assertEquals("reactorbpf.objects.execs.streams.perf_events.kafka-type",
                    failure.property());
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("kafka-producer-network-thread"))) {
            assertTrue(System.nanoTime() < deadline, "the producer made before the failure is closed");
            Thread.onSpinWait();
        }
    }

    @Test
    void aKafkaTopicWithoutTheKafkaModuleFailsStartUpNamingTheProperty() {
        runner("reactorbpf.objects.execs.streams.perf_events.kafka-topic=t")
                .withClassLoader(new FilteredClassLoader(KafkaSink.class)).run(context -> {
                    BpfPropertyException failure = propertyFailure(context.getStartupFailure());
                    assertEquals("reactorbpf.objects.execs.streams.perf_events.kafka-topic",
                            failure.property());
                    assertTrue(failure.getMessage().contains("reactor-bpf-kafka"), failure.getMessage());
                });
    }

    /** The property exception among the causes of a failed start; fails the test when there is none. */
    private static BpfPropertyException propertyFailure(Throwable startup) {
        for (Throwable t = startup; t != null; t = t.getCause()) {
            if (t instanceof BpfPropertyException p) {
                return p;
            }
        }
        throw new AssertionError("the start did not fail naming a property: " + startup, startup);
    }
}
