package io.reactorbpf.kafka;

import io.reactorbpf.perf.PerfEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sink whose broker goes away mid-stream: what was in flight is retried by the producer and acknowledged once
 * the broker is back, or, when it stays away past the producer's delivery timeout, counted as failed; never
 * dropped without a count, and never shipped twice.
 */
class KafkaSinkBrokerRestartTest {

    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    /**
     * Samples whose first eight bytes are their CPU's sequence number, on two CPUs in turn, emitted on a thread of
     * their own as a stream's poller emits them.
     */
    private static Flux<PerfEvent> samples(int count) {
        return Flux.range(0, count).<PerfEvent>map(i -> new PerfEvent.Sample(i % 2,
                ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(i / 2).array()))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @Test
    void recordsInFlightWhileTheBrokerRestartsAreAcknowledgedOnceItIsBackAndNoneIsShippedTwice() throws Exception {
        String topic = broker.topic("restarted", 2);
        // reconnect soon after the broker is back, so the test does not wait out the producer's longer backoffs
        Map<String, Object> config = Map.of(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200,
                ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 200);
        try (KafkaProducer<byte[], byte[]> producer = broker.producer(config)) {
            KafkaSink sink = KafkaSink.builder(producer, topic).host("node-b").format(SampleFormat.raw())
                    .maxInFlight(256).build();
            CompletableFuture<SinkTotals> shipped = sink.ship(samples(20_000)).toFuture();
            awaitUntil(() -> sink.counters().totals().acknowledged() >= 2_000, "records flow: " + sink.counters());

            broker.stop();
            long inFlightWhileAway = sink.counters().inFlight();
            broker.restart();
            SinkTotals totals = shipped.get(60, TimeUnit.SECONDS);

            assertTrue(inFlightWhileAway > 0, "records were in flight while the broker was away");
            assertEquals(new SinkTotals(20_000, 20_000, 0, 0, 0, 0, 0), totals);
            Map<String, List<Long>> seqByKey = new TreeMap<>();
            Set<String> distinct = new HashSet<>();
            for (ConsumerRecord<byte[], byte[]> r : broker.read(topic, 20_000)) {
                String key = new String(r.key(), StandardCharsets.UTF_8);
                long seq = ByteBuffer.wrap(r.value()).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
                seqByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(seq);
                assertTrue(distinct.add(key + seq), key + " " + seq + " shipped twice");
            }
            List<Long> inOrder = LongStream.range(0, 10_000).boxed().toList();
            assertEquals(Map.of("node-b/0", inOrder, "node-b/1", inOrder), seqByKey);
        }
    }

    @Test
    void recordsTheBrokerNeverTakesAreCountedAsFailedOnceTheDeliveryTimeoutPasses() throws Exception {
        String topic = broker.topic("away", 1);
        // a record waits 2 s for the broker; a send that finds no metadata for the topic gives up within 0.5 s
        Map<String, Object> config = Map.of(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000, ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 500);
        try (KafkaProducer<byte[], byte[]> producer = broker.producer(config)) {
            KafkaSink sink = KafkaSink.builder(producer, topic).host("node-b").build();
            // the producer learns where the topic lives while the broker is there
            assertEquals(1, sink.ship(samples(1)).block(Duration.ofSeconds(30)).acknowledged());
            broker.stop();
            try {
                SinkTotals totals = sink.ship(samples(10)).block(Duration.ofSeconds(30));

                assertEquals(new SinkTotals(10, 0, 10, 0, 0, 0, 0), totals);
                assertInstanceOf(TimeoutException.class, sink.counters().lastFailure());
            } finally {
                broker.restart();
            }
            assertEquals(1, broker.read(topic, 1).size(), "the topic holds only what was acknowledged");
        }
    }

    private static void awaitUntil(BooleanSupplier condition, Object what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "timed out: " + what);
            Thread.sleep(10);
        }
    }
}
