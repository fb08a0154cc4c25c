package io.reactorbpf.kafka;

import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.testing.CpuAffinity;
import io.reactorbpf.core.testing.GetpgidLoad;
import io.reactorbpf.core.testing.GetpgidRingSampler;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.perf.PerfBufferOptions;
import io.reactorbpf.perf.PerfEvent;
import io.reactorbpf.perf.PerfRings;
import io.reactorbpf.perf.PerfStream;
import io.reactorbpf.perf.RingBufStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Samples a BPF program writes into per-CPU perf rings or a BPF ring buffer, shipped to a real broker in this JVM
 * and read back: every sample the program counted is acknowledged, lost in its ring or failed, and each ring's
 * samples keep their order under their key, also when the broker is throttled and the rings overflow.
 */
@KernelTest
class KafkaSinkKernelTest {

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

    @Test
    void everySampleTheProgramProducedIsAcknowledgedLostOrFailedAndEachCpuKeepsItsOrder() throws Exception {
        String topic = broker.topic("getpgid", 3);
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("events", 16).attachWithLink();
             KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            KafkaSink sink = KafkaSink.builder(producer, topic).host("node-a").format(SampleFormat.raw()).build();
            PerfStream<PerfEvent> stream = PerfStream.events(sampler.events());
            CompletableFuture<SinkTotals> shipped = sink.ship(stream).toFuture();
            for (int cpu : CpuSet.online().toArray()) {
                CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(5_000));
            }
            SinkTotals totals = end(stream, shipped, sampler, sink);

            assertEquals(sampler.produced(), totals.accounted(), totals::toString);
            assertEquals(0, totals.failed(), totals::toString);
            List<ConsumerRecord<byte[], byte[]>> records = broker.read(topic, totals.acknowledged()
                    + totals.lostRecordsAcknowledged());
            assertShippedInRingOrder(records, totals);
        }
    }

    @Test
    void aThrottledBrokerFillsTheRingsAndTheirLossesAreShippedWithEverySampleAccounted() throws Exception {
        String topic = broker.topic("getpgid-throttled", 3);
        // 8 KiB/s: about a hundred records a second against a load of hundreds of thousands, one page per ring
        broker.throttleProducers("throttled", 8 * 1024);
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("events", 16).attachWithLink();
             KafkaProducer<byte[], byte[]> producer = broker.producer(Map.of(ProducerConfig.CLIENT_ID_CONFIG,
                     "throttled"))) {
            KafkaSink sink = KafkaSink.builder(producer, topic).host("node-a").format(SampleFormat.raw())
                    .maxInFlight(64).build();
            PerfStream<PerfEvent> stream = PerfStream.events(sampler.events(),
                    PerfBufferOptions.builder().pages(1).build());
            CompletableFuture<SinkTotals> shipped = sink.ship(stream).toFuture();
            try (GetpgidLoad load = GetpgidLoad.start("getpgid-load")) {
                awaitUntil(() -> sink.counters().totals().lost() > 0 && sink.counters().totals().acknowledged() > 64,
                        "the rings overflow while the sink waits for the broker: " + sink.counters());
            }
            SinkTotals totals = end(stream, shipped, sampler, sink);

            assertTrue(throttledMillis(producer) > 0, "the broker held back its responses");
            assertTrue(totals.lost() > 0, totals::toString);
            assertEquals(sampler.produced(), totals.accounted(), totals::toString);
            assertEquals(0, totals.failed() + totals.lostRecordsFailed(), totals::toString);
            List<ConsumerRecord<byte[], byte[]>> records = broker.read(topic, totals.acknowledged()
                    + totals.lostRecordsAcknowledged());
            assertShippedInRingOrder(records, totals);
        }
    }

    @Test
    void aBpfRingBuffersSamplesAreShippedUnderTheHostKeyInTheRingsOrderWithEveryOneAccounted() throws Exception {
        String topic = broker.topic("getpgid-ringbuf", 3);
        try (GetpgidRingSampler sampler = GetpgidRingSampler.forThisProcess("rb", 16, 64 * 1024).attach();
             KafkaProducer<byte[], byte[]> producer = broker.producer()) {
            KafkaSink sink = KafkaSink.builder(producer, topic).host("node-a").format(SampleFormat.raw()).build();
            RingBufStream<PerfEvent> stream = RingBufStream.events(sampler.ring());
            CompletableFuture<SinkTotals> shipped = sink.ship(stream).toFuture();
            GetpgidSampler.trigger(20_000);
            // the program counts the outputs that found the ring full; the sink must have taken all the others
            awaitUntil(() -> sink.counters().totals().samples() + sampler.failed() == sampler.produced(),
                    "the stream takes every sample that reached the ring: " + sink.counters());
            assertTrue(stream.complete(), "the stream was live");
            SinkTotals totals = shipped.get(60, TimeUnit.SECONDS);

            assertEquals(20_000, sampler.produced());
            assertEquals(sampler.produced(), totals.acknowledged() + totals.failed() + sampler.failed(),
                    totals::toString);
            assertEquals(0, totals.failed(), totals::toString);
            List<Long> seqs = broker.read(topic, totals.acknowledged()).stream().map(r -> {
                assertEquals("node-a/all", new String(r.key(), StandardCharsets.UTF_8));
                return ByteBuffer.wrap(r.value()).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            }).toList();
            assertEquals(totals.acknowledged(), seqs.size());
            for (int i = 1; i < seqs.size(); i++) {
                assertTrue(seqs.get(i - 1) < seqs.get(i), "the ring's order: " + seqs.get(i) + " after " + seqs.get(i - 1));
            }
        }
    }

    /** The longest the broker told the producer to wait, as the producer's own metric has it. */
    private static double throttledMillis(KafkaProducer<byte[], byte[]> producer) {
        return producer.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("produce-throttle-time-max"))
                .mapToDouble(e -> (Double) e.getValue().metricValue()).max().orElseThrow();
    }

    /**
     * Waits until the sink has taken every sample the program produced or heard of its loss, then completes the
     * stream and waits for the shipment's end. The kernel writes a ring's LOST record only before the next record
     * that fits, so one more sample on every CPU brings out losses still untold.
     */
    private static SinkTotals end(PerfStream<?> stream, CompletableFuture<SinkTotals> shipped,
                                  GetpgidSampler sampler, KafkaSink sink) throws Exception {
        long[] nextNudge = {System.nanoTime()};
        awaitUntil(() -> {
            SinkTotals now = sink.counters().totals();
            if (now.samples() + now.lost() == sampler.produced()) {
                return true;
            }
            // seldom enough that a slow sink catches up with the samples that bring out the losses
            if (System.nanoTime() - nextNudge[0] > 0) {
                nextNudge[0] = System.nanoTime() + Duration.ofMillis(250).toNanos();
                for (int cpu : CpuSet.online().toArray()) {
                    CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(1));
                }
            }
            return false;
        }, "the stream takes every sample produced: " + sink.counters());
        assertTrue(stream.complete(), "the stream was live");
        SinkTotals totals = shipped.get(60, TimeUnit.SECONDS);
        PerfRings rings = stream.rings().orElseThrow();
        long discarded = rings.rings().stream().mapToLong(r -> r.counters().discarded()).sum();
        assertEquals(0, discarded, "a completed stream leaves nothing in its rings");
        return totals;
    }

    /** Every acknowledged record once, under its CPU's key; each key's sequence numbers rising as the ring had them. */
    private static void assertShippedInRingOrder(List<ConsumerRecord<byte[], byte[]>> records, SinkTotals totals) {
        Map<String, Long> lastSeq = new HashMap<>();
        Set<Long> seen = new HashSet<>();
        long samples = 0;
        long lost = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            assertTrue(key.matches("node-a/\\d+"), key);
            String event = new String(r.headers().lastHeader(KafkaSink.EVENT_HEADER).value(), StandardCharsets.UTF_8);
            if (event.equals(KafkaSink.LOST_EVENT)) {
                lost++;
                continue;
            }
            samples++;
            long seq = ByteBuffer.wrap(r.value()).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            assertTrue(seen.add(seq), "sequence number " + seq + " shipped twice");
            Long before = lastSeq.put(key, seq);
            assertTrue(before == null || before < seq, key + ": " + seq + " after " + before);
        }
        assertEquals(totals.acknowledged(), samples, "sample records in the topic");
        assertEquals(totals.lostRecordsAcknowledged(), lost, "loss records in the topic");
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition, Object what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> "timed out: " + what);
            Thread.sleep(10);
        }
    }
}
