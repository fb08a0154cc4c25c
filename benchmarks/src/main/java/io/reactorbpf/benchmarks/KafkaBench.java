package io.reactorbpf.benchmarks;

import io.reactorbpf.kafka.KafkaSink;
import io.reactorbpf.kafka.SampleFormat;
import io.reactorbpf.kafka.SinkTotals;
import io.reactorbpf.perf.PerfEvent;
import io.reactorbpf.perf.PerfStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Ring to broker: the benchmark producer's samples, written flat out by one thread of the load generator, read from
 * the perf rings by {@code PerfStream} and sent by {@code KafkaSink} (raw values), counted when the broker
 * acknowledged them (acks=all). Each producer setting gets one run on a topic of its own, side by side: the producer's
 * defaults and a tuned batching. Prints records acknowledged per second, what was lost in the rings or failed, and
 * checks produced == acknowledged + failed + lost for every run; the tuned rate is also given as a ratio of the
 * default's.
 *
 * <p>usage: {@code KafkaBench --bin DIR --object producer.bpf.o [--bootstrap HOST:PORT] [--quick]}, where DIR holds
 * {@code loadgen}. Without {@code --bootstrap} the broker is Apache Kafka's own, in this JVM (KRaft, one node), so it
 * shares the machine's cores with the load and the stream. Must run as root (bpf).
 */
public final class KafkaBench {

    private static final int SAMPLE_SIZE = 16;
    private static final int MAX_BLOCK_MS = 1000;

    /** One producer setting: its name, the producer properties over the defaults, the records in flight. */
    private record Setting(String name, Map<String, Object> producer, int maxInFlight) {
    }

    private static final List<Setting> SETTINGS = List.of(
            new Setting("producer defaults", Map.of(), KafkaSink.DEFAULT_MAX_IN_FLIGHT),
            new Setting("batch.size=262144 linger.ms=20, 16384 in flight",
                    Map.of(ProducerConfig.BATCH_SIZE_CONFIG, 262_144, ProducerConfig.LINGER_MS_CONFIG, 20), 16_384));

    private final PrintStream out = System.out;
    private final Path loadgen;
    private final Path object;
    private final double seconds;

    private KafkaBench(Path loadgen, Path object, double seconds) {
        this.loadgen = loadgen;
        this.object = object;
        this.seconds = seconds;
    }

    public static void main(String[] args) throws Exception {
        Path bin = null;
        Path object = null;
        String bootstrap = null;
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bin" -> bin = Path.of(args[++i]);
                case "--object" -> object = Path.of(args[++i]);
                case "--bootstrap" -> bootstrap = args[++i];
                case "--quick" -> quick = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: KafkaBench --bin DIR --object producer.bpf.o [--bootstrap HOST:PORT] [--quick]");
            }
        }
        if (bin == null || object == null) {
            throw new IllegalArgumentException("usage: KafkaBench --bin DIR --object producer.bpf.o"
                    + " [--bootstrap HOST:PORT] [--quick]");
        }
        KafkaBench bench = new KafkaBench(bin.resolve("loadgen"), object, quick ? 2 : 5);
        if (bootstrap != null) {
            bench.runAll(bootstrap, "broker " + bootstrap);
            return;
        }
        try (KafkaClusterTestKit broker = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1").build()) {
            broker.format();
            broker.startup();
            broker.waitForReadyBrokers();
            bench.runAll(broker.bootstrapServers(), "an in-process KRaft broker");
        }
    }

    private void runAll(String bootstrap, String where) throws Exception {
        out.printf("== Kafka: %d-byte samples flat out, 1 thread, %.0f s, shipped raw to %s (acks=all) ==%n",
                SAMPLE_SIZE, seconds, where);
        out.printf("%-50s %14s %12s %12s %8s %12s %9s%n", "setting", "acked/s", "acknowledged", "lost", "failed",
                "produced", "balanced");
        double first = 0;
        boolean balanced = true;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (int i = 0; i < SETTINGS.size(); i++) {
                Setting s = SETTINGS.get(i);
                String topic = "kafka-bench-" + i + "-" + System.nanoTime();
                admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
                Run r = run(bootstrap, topic, s);
                double rate = r.totals.acknowledged() / r.seconds;
                first = i == 0 ? rate : first;
                boolean even = r.produced == r.totals.accounted();
                balanced &= even;
                out.printf("%-50s %14s %12d %12d %8d %12d %9s%n", s.name, String.format(Locale.ROOT, "%,.0f", rate)
                        + (i == 0 ? "" : String.format(Locale.ROOT, " (x%.2f)", rate / first)),
                        r.totals.acknowledged(), r.totals.lost(), r.totals.failed(), r.produced, even ? "yes" : "NO");
            }
        }
        out.println("(acked/s: records the broker acknowledged per second, from the load's start until every record"
                + " settled; balanced: produced == acknowledged + failed + lost)");
        out.println("kafka runs balanced: " + (balanced ? "all" : "NOT all"));
    }

    private record Run(SinkTotals totals, long produced, double seconds) {
    }

    /**
     * Waits until the stream has taken every sample produced or learnt of its loss. The kernel reports losses only
     * before a later sample that fits in the same ring, so once the sink has caught up (the rings drained), the
     * generator makes one call per CPU.
     */
    private static void settle(LoadGenerator generator, ProducerProgram producer, KafkaSink sink) {
        long seen = -1;
        for (int round = 0; round < 200; round++) {
            SinkTotals now = sink.counters().totals();
            long taken = now.samples() + now.lost();
            if (taken >= producer.produced()) {
                return;
            }
            if (taken == seen) {
                generator.flush();
            }
            seen = taken;
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    private Run run(String bootstrap, String topic, Setting s) throws Exception {
        Map<String, Object> config = new HashMap<>(s.producer);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        Scenario load = new Scenario(SAMPLE_SIZE, 1, 0, seconds);
        try (LoadGenerator generator = LoadGenerator.start(loadgen, load);
             ProducerProgram producer = ProducerProgram.attach(object, (int) generator.pid(), SAMPLE_SIZE);
             KafkaProducer<byte[], byte[]> kafka = new KafkaProducer<>(config, new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            KafkaSink sink = KafkaSink.builder(kafka, topic).format(SampleFormat.raw()).maxInFlight(s.maxInFlight)
                    .build();
            PerfStream<PerfEvent> stream = PerfStream.events(producer.events());
            CompletableFuture<SinkTotals> shipment = sink.ship(stream).toFuture();
            long start = System.nanoTime();
            generator.go();
            generator.awaitResult();
            settle(generator, producer, sink);
            stream.complete();
            SinkTotals totals = shipment.get(120, TimeUnit.SECONDS);
            return new Run(totals, producer.produced(), (System.nanoTime() - start) / 1e9);
        }
    }
}
