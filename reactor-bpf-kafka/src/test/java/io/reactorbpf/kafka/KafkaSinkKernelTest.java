package io.reactorbpf.kafka;

import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.testing.CpuAffinity;
import io.reactorbpf.core.testing.GetpgidLoad;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.perf.PerfBufferOptions;
import io.reactorbpf.perf.PerfEvent;
import io.reactorbpf.perf.PerfRings;
import io.reactorbpf.perf.PerfStream;
import io.reactorbpf.perf.Wakeup;
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
 * Samples a BPF program writes into per-CPU perf rings, shipped to a real broker in this JVM and read back: every
 * sample the program counted is acknowledged, lost in its ring or failed, and each CPU's samples keep their order
 * under their host-and-CPU key, also when the broker cannot keep up and the rings overflow.
 */
@KernelTest
class KafkaSinkKernelTest {

    /**
     * One ring per CPU, woken at a quarter of it. The default adaptive wakeups give each CPU two rings and switch
     * its map slot between them; a sample left in one ring while demand waited can come out after later samples of
     * the other, which would hide whether the sink keeps a ring's order.
     */
    private static final PerfBufferOptions ONE_RING_PER_CPU = PerfBufferOptions.builder()
            .wakeup(Wakeup.quarterRing()).build();

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
            PerfStream<PerfEvent> stream = PerfStream.events(sampler.events(), ONE_RING_PER_CPU);
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
    void aBrokerThatCannotKeepUpFillsTheRingsAndTheirLossesAreShippedWithEverySampleAccounted() throws Exception {
        String topic = broker.topic("getpgid-slow", 3);
        // a few records at a time, each batch held 20 ms: a few hundred records a second against a load of
        // hundreds of thousands, with one page per ring
        Map<String, Object> slow = Map.of(ProducerConfig.LINGER_MS_CONFIG, 20);
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("events", 16).attachWithLink();
             KafkaProducer<byte[], byte[]> producer = broker.producer(slow)) {
            KafkaSink sink = KafkaSink.builder(producer, topic).host("node-a").format(SampleFormat.raw())
                    .maxInFlight(4).build();
            PerfStream<PerfEvent> stream = PerfStream.events(sampler.events(),
                    ONE_RING_PER_CPU.toBuilder().pages(1).build());
            CompletableFuture<SinkTotals> shipped = sink.ship(stream).toFuture();
            try (GetpgidLoad load = GetpgidLoad.start("getpgid-load")) {
                awaitUntil(() -> sink.counters().totals().lost() > 0 && sink.counters().totals().acknowledged() > 20,
                        "the rings overflow while the sink waits for the broker: " + sink.counters());
            }
            SinkTotals totals = end(stream, shipped, sampler, sink);

            assertTrue(totals.lost() > 0, totals::toString);
            assertEquals(sampler.produced(), totals.accounted(), totals::toString);
            assertEquals(0, totals.failed() + totals.lostRecordsFailed(), totals::toString);
            List<ConsumerRecord<byte[], byte[]>> records = broker.read(topic, totals.acknowledged()
                    + totals.lostRecordsAcknowledged());
            assertShippedInRingOrder(records, totals);
        }
    }

    /**
     * Waits until the sink has taken every sample the program produced or heard of its loss, then completes the
     * stream and waits for the shipment's end. The kernel writes a ring's LOST record only before the next record
     * that fits, so one more sample on every CPU brings out losses still untold.
     */
    private static SinkTotals end(PerfStream<?> stream, CompletableFuture<SinkTotals> shipped,
                                  GetpgidSampler sampler, KafkaSink sink) throws Exception {
        awaitUntil(() -> {
            SinkTotals now = sink.counters().totals();
            if (now.samples() + now.lost() == sampler.produced()) {
                return true;
            }
            for (int cpu : CpuSet.online().toArray()) {
                CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(1));
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
