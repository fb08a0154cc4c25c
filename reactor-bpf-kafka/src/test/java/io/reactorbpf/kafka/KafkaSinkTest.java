package io.reactorbpf.kafka;

import io.reactorbpf.core.btf.value.BtfJsonDecoder;
import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.perf.PerfEvent;
import io.reactorbpf.perf.RingBuf;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sink shipping streams of samples and loss reports to a real broker started in this JVM, read back from the
 * topic: what arrives, under which key, in which order, and how every record is counted.
 */
class KafkaSinkTest {

    private static final Duration SHIPPED = Duration.ofSeconds(60);

    private static KafkaBroker broker;
    private static KafkaProducer<byte[], byte[]> producer;
    private static int topics;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start();
        producer = broker.producer();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        try {
            if (producer != null) {
                producer.close();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    private static String newTopic(int partitions) throws Exception {
        return broker.topic("samples-" + ++topics, partitions);
    }

    /** A 16-byte sample: its CPU's sequence number, little-endian, then eight bytes of zeros. */
    private static PerfEvent.Sample sample(int cpu, long seq) {
        return new PerfEvent.Sample(cpu, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(seq).array());
    }

    /**
     * {@code perCpu} samples on each of {@code cpus} CPUs, interleaved as rings' passes interleave them, emitted on
     * a thread of their own as a stream's poller emits them.
     */
    private static Flux<PerfEvent> samples(int cpus, int perCpu) {
        return Flux.range(0, cpus * perCpu).<PerfEvent>map(i -> sample(i % cpus, i / cpus))
                .subscribeOn(Schedulers.boundedElastic());
    }

    private static long seq(byte[] data) {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String event(ConsumerRecord<byte[], byte[]> r) {
        return text(r.headers().lastHeader(KafkaSink.EVENT_HEADER).value());
    }

    private static KafkaSink.Builder sink(String topic) {
        return KafkaSink.builder(producer, topic).host("web-1");
    }

    @Test
    void everySampleBecomesOneRecordTheBrokerAcknowledges() throws Exception {
        String topic = newTopic(3);
        SinkTotals totals = sink(topic).build().ship(samples(4, 2500)).block(SHIPPED);

        assertEquals(new SinkTotals(10_000, 10_000, 0, 0, 0, 0, 0), totals);
        assertEquals(10_000, broker.read(topic, 10_000).size());
    }

    @Test
    void recordsAreKeyedByHostAndCpuAndEachKeyKeepsItsRingsOrder() throws Exception {
        String topic = newTopic(3);
        sink(topic).format(SampleFormat.raw()).maxInFlight(64).build().ship(samples(4, 2500)).block(SHIPPED);

        Map<String, List<Long>> seqByKey = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.read(topic, 10_000)) {
            seqByKey.computeIfAbsent(text(r.key()), k -> new ArrayList<>()).add(seq(r.value()));
        }
        List<Long> inOrder = java.util.stream.LongStream.range(0, 2500).boxed().toList();
        assertEquals(Map.of("web-1/0", inOrder, "web-1/1", inOrder, "web-1/2", inOrder, "web-1/3", inOrder), seqByKey);
    }

    @Test
    void aLossReportIsARecordOfItsOwnWithHostCpuAndCount() throws Exception {
        String topic = newTopic(1);
        SinkTotals totals = sink(topic).build()
                .ship(Flux.just(sample(2, 0), new PerfEvent.Lost(2, 37), sample(2, 1))).block(SHIPPED);

        assertEquals(new SinkTotals(2, 2, 0, 37, 1, 1, 0), totals);
        List<ConsumerRecord<byte[], byte[]>> records = broker.read(topic, 3);
        assertEquals(List.of("sample", "lost", "sample"), records.stream().map(KafkaSinkTest::event).toList());
        ConsumerRecord<byte[], byte[]> lost = records.get(1);
        assertEquals("web-1/2", text(lost.key()));
        assertEquals("{\"host\":\"web-1\",\"cpu\":2,\"lost\":37}", text(lost.value()));
    }

    @Test
    void aSampleIsJsonWithItsHostCpuSizeAndHexDataByDefault() throws Exception {
        String topic = newTopic(1);
        sink(topic).build().ship(Flux.just(sample(1, 258))).block(SHIPPED);

        ConsumerRecord<byte[], byte[]> r = broker.read(topic, 1).get(0);
        assertEquals("{\"host\":\"web-1\",\"cpu\":1,\"size\":16,\"data\":\"02010000000000000000000000000000\"}",
                text(r.value()));
        assertEquals(KafkaSink.SAMPLE_EVENT, event(r));
    }

    @Test
    void aSampleOfAKnownTypeIsJsonOfItsBtfMembers() throws Exception {
        String topic = newTopic(1);
        BtfJsonDecoder decoder = BtfJsonDecoder.forType(BpfObject.open(resource("/bpf/value/shapes.bpf.o"), "shapes")
                .btf().orElseThrow(), "event_addr");
        byte[] addr = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 8080).put((byte) 2).put((byte) 128).putInt(0x0100007f).array();
        sink(topic).format(SampleFormat.json(decoder)).build().ship(Flux.just(new PerfEvent.Sample(3, addr)))
                .block(SHIPPED);

        assertEquals("{\"host\":\"web-1\",\"cpu\":3,\"port\":8080,\"family\":2,\"flags\":128,\"ip\":16777343}",
                text(broker.read(topic, 1).get(0).value()));
    }

    @Test
    void theRawFormatSendsTheSamplesBytesAsTheyAre() throws Exception {
        String topic = newTopic(1);
        PerfEvent.Sample s = sample(0, 0x1122334455667788L);
        sink(topic).format(SampleFormat.raw()).build().ship(Flux.just(s)).block(SHIPPED);

        assertArrayEquals(s.data(), broker.read(topic, 1).get(0).value());
    }

    @Test
    void aBpfRingBuffersEventsAreKeyedByTheirHostAloneAndCarryNoCpu() throws Exception {
        String topic = newTopic(1);
        sink(topic).build().ship(Flux.just(sample(RingBuf.NO_CPU, 0), new PerfEvent.Lost(RingBuf.NO_CPU, 5)))
                .block(SHIPPED);

        List<ConsumerRecord<byte[], byte[]>> records = broker.read(topic, 2);
        assertEquals(List.of("web-1/all", "web-1/all"), records.stream().map(r -> text(r.key())).toList());
        assertEquals("{\"host\":\"web-1\",\"lost\":5}", text(records.get(1).value()));
    }

    @Test
    void demandNeverRunsMoreThanMaxInFlightAheadOfTheSettledRecords() throws Exception {
        String topic = newTopic(1);
        KafkaSink sink = sink(topic).maxInFlight(16).build();
        AtomicLong requested = new AtomicLong();
        AtomicLong mostAhead = new AtomicLong();
        Flux<PerfEvent> source = samples(2, 1000).doOnRequest(n -> {
            SinkTotals now = sink.counters().totals();
            long ahead = requested.addAndGet(n) - now.acknowledged() - now.failed();
            mostAhead.accumulateAndGet(ahead, Math::max);
        });

        SinkTotals totals = sink.ship(source).block(SHIPPED);

        assertEquals(2000, totals.acknowledged());
        assertTrue(mostAhead.get() <= 16, "requested ahead of the settled records: " + mostAhead.get());
        assertTrue(requested.get() > 16, "demand was given again as records settled: " + requested.get());
    }

    @Test
    void aRecordTheProducerRefusesIsCountedAsFailedAndTheShipmentStillEnds() throws Exception {
        String topic = newTopic(1);
        try (KafkaProducer<byte[], byte[]> small = broker.producer(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024))) {
            KafkaSink sink = KafkaSink.builder(small, topic).host("web-1").format((host, cpu, data) -> new byte[2048])
                    .build();
            SinkTotals totals = sink.ship(samples(1, 10)).block(SHIPPED);

            assertEquals(new SinkTotals(10, 0, 10, 0, 0, 0, 0), totals);
            assertInstanceOf(RecordTooLargeException.class, sink.counters().lastFailure());
        }
    }

    @Test
    void aSampleTheFormatCannotEncodeIsCountedAsFailed() throws Exception {
        String topic = newTopic(1);
        IllegalStateException broken = new IllegalStateException("no encoding");
        KafkaSink sink = sink(topic).format((host, cpu, data) -> {
            if (seq(data) == 1) {
                throw broken;
            }
            return data;
        }).build();

        assertEquals(new SinkTotals(3, 2, 1, 0, 0, 0, 0), sink.ship(samples(1, 3)).block(SHIPPED));
        assertSame(broken, sink.counters().lastFailure());
    }

    @Test
    void aFailingStreamEndsTheShipmentWithItsErrorAfterItsRecordsSettled() throws Exception {
        String topic = newTopic(1);
        KafkaSink sink = sink(topic).build();
        IllegalStateException ringGone = new IllegalStateException("ring closed");
        AtomicReference<SinkTotals> atError = new AtomicReference<>();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sink
                .ship(samples(2, 50).concatWith(Flux.error(ringGone)))
                .doOnError(t -> atError.set(sink.counters().totals())).block(SHIPPED));

        assertSame(ringGone, e);
        assertEquals(new SinkTotals(100, 100, 0, 0, 0, 0, 0), atError.get());
    }

    @Test
    void theSinksCountersAddUpAllItsShipments() throws Exception {
        String topic = newTopic(1);
        KafkaSink sink = sink(topic).build();
        sink.ship(samples(1, 7)).block(SHIPPED);
        sink.ship(Flux.just(sample(0, 7), new PerfEvent.Lost(0, 4))).block(SHIPPED);

        assertEquals(new SinkTotals(8, 8, 0, 4, 1, 1, 0), sink.counters().totals());
    }

    @Test
    void cancellingAShipmentStopsTheStreamAndItsRecordsInFlightStillSettleAndAreCounted() throws Exception {
        String topic = newTopic(1);
        KafkaSink sink = sink(topic).maxInFlight(64).build();
        AtomicLong acknowledgedAtCancel = new AtomicLong(-1);
        reactor.core.Disposable shipment = sink.ship(samples(1, 1_000_000)).subscribe();
        awaitUntil(() -> sink.counters().totals().acknowledged() >= 1_000);
        shipment.dispose();
        acknowledgedAtCancel.set(sink.counters().totals().acknowledged());
        awaitUntil(() -> sink.counters().inFlight() == 0);

        SinkTotals totals = sink.counters().totals();
        assertTrue(totals.samples() < 1_000_000, "the stream stopped: " + totals);
        assertEquals(totals.samples(), totals.acknowledged() + totals.failed(), totals::toString);
        assertTrue(totals.samples() - acknowledgedAtCancel.get() <= 64, "at most the records in flight settled after"
                + " the cancel: " + totals + ", acknowledged at cancel " + acknowledgedAtCancel.get());
        assertEquals(totals.acknowledged(), broker.read(topic, totals.acknowledged()).size());
    }

    @Test
    void closingTheProducerFlushesTheRecordsInFlightAndTheSinkCountsThemAcknowledged() throws Exception {
        String topic = newTopic(1);
        KafkaProducer<byte[], byte[]> lingering = broker.producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 60_000));
        KafkaSink sink = KafkaSink.builder(lingering, topic).host("web-1").build();
        reactor.core.Disposable shipment = sink.ship(samples(1, 100).concatWith(Flux.never())).subscribe();
        try {
            awaitUntil(() -> sink.counters().totals().samples() == 100);
            assertEquals(100, sink.counters().inFlight(), "the records wait for the producer's linger");
            lingering.close();

            assertEquals(new SinkTotals(100, 100, 0, 0, 0, 0, 0), sink.counters().totals());
        } finally {
            shipment.dispose();
        }
    }

    @Test
    void closingTheProducerAtOnceFailsTheRecordsInFlightAndTheSinkCountsThem() throws Exception {
        String topic = newTopic(1);
        KafkaProducer<byte[], byte[]> lingering = broker.producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 60_000));
        KafkaSink sink = KafkaSink.builder(lingering, topic).host("web-1").build();
        reactor.core.Disposable shipment = sink.ship(samples(1, 100).concatWith(Flux.never())).subscribe();
        try {
            awaitUntil(() -> sink.counters().totals().samples() == 100);
            lingering.close(Duration.ZERO);

            assertEquals(new SinkTotals(100, 0, 100, 0, 0, 0, 0), sink.counters().totals());
        } finally {
            shipment.dispose();
        }
    }

    @Test
    void theMetersReadTheSinksCounters() throws Exception {
        String topic = newTopic(1);
        KafkaSink sink = sink(topic).build();
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        KafkaSinkMeters.of(sink, io.micrometer.core.instrument.Tags.of("object", "getpgid")).bindTo(registry);
        sink.ship(Flux.just(sample(0, 0), sample(1, 0), new PerfEvent.Lost(1, 9))).block(SHIPPED);

        Map<String, Double> counts = new TreeMap<>();
        registry.getMeters().forEach(m -> {
            assertEquals(topic, m.getId().getTag("topic"));
            assertEquals("getpgid", m.getId().getTag("object"));
            counts.put(m.getId().getName(), m.measure().iterator().next().getValue());
        });
        assertEquals(Map.of("reactor.bpf.kafka.samples", 2.0, "reactor.bpf.kafka.acknowledged", 2.0,
                "reactor.bpf.kafka.failed", 0.0, "reactor.bpf.kafka.lost", 9.0, "reactor.bpf.kafka.lost.failed", 0.0,
                "reactor.bpf.kafka.in.flight", 0.0), counts);
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + SHIPPED.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(10);
        }
    }

    @Test
    void theHostIsThisMachinesNameUnlessTold() throws Exception {
        assertEquals(java.net.InetAddress.getLocalHost().getHostName(), KafkaSink.builder(producer, "t").build().host());
    }

    @Test
    void aHostNameWithASlashIsRefusedForItWouldBlurTheKey() {
        assertThrows(IllegalArgumentException.class, () -> KafkaSink.builder(producer, "t").host("web/1"));
    }

    private static byte[] resource(String name) {
        try (InputStream in = KafkaSinkTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
