package io.reactorbpf.examples.run;

import io.reactorbpf.core.btf.value.BtfJsonDecoder;
import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.core.object.MapSpec;
import io.reactorbpf.core.object.ObjectFormatException;
import io.reactorbpf.core.object.ObjectSpec;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.sys.Privileges;
import io.reactorbpf.examples.cli.StopSignal;
import io.reactorbpf.examples.cli.StreamingCommand;
import io.reactorbpf.examples.cli.StreamingOptions;
import io.reactorbpf.examples.cli.Tally;
import io.reactorbpf.kafka.KafkaSink;
import io.reactorbpf.kafka.SampleFormat;
import io.reactorbpf.kafka.SinkTotals;
import io.reactorbpf.perf.PerfBufferOptions;
import io.reactorbpf.perf.PerfEvent;
import io.reactorbpf.perf.PerfStream;
import io.reactorbpf.perf.RingBufStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import reactor.core.publisher.Flux;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;

/**
 * {@code ship OBJECT --bootstrap HOST:PORT --topic NAME}: loads and attaches an object as {@code run} does (the same
 * globals, load choices and ring options) and, until the duration ends or Ctrl-C, sends its perf event array's or
 * ring buffer's samples and losses to a Kafka topic with a {@link KafkaSink}: one record each, keyed {@code HOST/CPU},
 * JSON by default (decoded by {@code --type}). At the stop it completes the stream, so the samples still in the
 * rings are sent too, waits until every record sent is acknowledged or failed, and prints what became of the
 * samples: {@code acknowledged + failed + lost} is every sample the programs wrote while attached. Runs on the
 * command's thread; the records are sent from the stream's poller thread.
 */
@Command(name = "ship", mixinStandardHelpOptions = true,
        description = "Load a BPF object, attach its programs by section and send its perf event array's or ring"
                + " buffer's samples and losses to a Kafka topic, one record each, keyed HOST/CPU.")
public final class ShipCommand implements Callable<Integer> {

    private static final String NAME = "ship";
    /** How long the producer may block a send for metadata or buffer room, as the sink asks. */
    private static final int MAX_BLOCK_MS = 1000;

    @Parameters(index = "0", paramLabel = "OBJECT", description = "The BPF object file (clang -target bpf -g).")
    Path file;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", required = true,
            description = "The Kafka brokers to connect to first (bootstrap.servers).")
    String bootstrap;

    @Option(names = "--topic", paramLabel = "NAME", required = true, description = "The topic every record goes to.")
    String topic;

    @Option(names = "--set", paramLabel = "NAME=VALUE", converter = AssignmentConverter.class,
            description = "Set a .rodata/.data/.bss global before load (integer, bool or string, by its BTF type).")
    List<GlobalAssignment> assignments = new ArrayList<>();

    @Option(names = "--map", paramLabel = "NAME",
            description = "The PERF_EVENT_ARRAY or RINGBUF map to ship (default: the only one).")
    String mapName;

    @Option(names = "--type", paramLabel = "STRUCT",
            description = "Decode samples as this BTF struct into JSON (default: JSON with the sample in hex).")
    String typeName;

    @Option(names = "--raw", description = "Send each sample's bytes as the record value, not JSON.")
    boolean raw;

    @Option(names = "--pages", paramLabel = "N", converter = PowerOfTwoPages.class, description = "Ring size in"
            + " pages, a power of two: per CPU for a perf event array (default: " + PerfBufferOptions.DEFAULT_PAGES
            + "), the whole ring for a RINGBUF map (default: the object's own size).")
    Integer pages;

    @Option(names = "--max-in-flight", paramLabel = "N", description = "Records sent and not yet acknowledged at"
            + " most; beyond, the rings are not read and the kernel counts what does not fit as lost (default: "
            + KafkaSink.DEFAULT_MAX_IN_FLIGHT + ").")
    int maxInFlight = KafkaSink.DEFAULT_MAX_IN_FLIGHT;

    @Option(names = "--producer", paramLabel = "KEY=VALUE",
            description = "A Kafka producer setting (linger.ms=5, compression.type=lz4, ...). Repeatable.")
    Map<String, String> producerSettings = new HashMap<>();

    @Spec
    CommandSpec command;

    @Mixin
    LoadChoices choices;

    @Mixin
    StreamingOptions options;

    @Override
    public Integer call() throws InterruptedException {
        if (maxInFlight <= 0) {
            throw new CommandLine.ParameterException(command.commandLine(), "--max-in-flight must be positive, got "
                    + maxInFlight);
        }
        if (raw && typeName != null) {
            throw new CommandLine.ParameterException(command.commandLine(), "--raw sends the samples' bytes, --type"
                    + " decodes them into JSON; keep one");
        }
        return StreamingCommand.run(NAME, options, (stop, tally) -> {
            ObjectSpec spec = RunCommand.prepare(file, assignments, choices);
            OutputMaps output = OutputMaps.choose(spec, mapName == null ? List.of() : List.of(mapName),
                    command.commandLine());
            if (!output.streams()) {
                throw new ObjectFormatException("object '" + spec.name() + "' keeps its output in maps "
                        + output.snapshots().stream().map(MapSpec::name).toList() + "; ship sends the samples of a"
                        + " PERF_EVENT_ARRAY or RINGBUF map (print maps with run)");
            }
            ship(spec, output.stream(), stop, tally);
        });
    }

    private void ship(ObjectSpec spec, MapSpec streamed, StopSignal stop, Tally tally) throws InterruptedException {
        boolean ringBuf = streamed.type() == MapType.RINGBUF;
        PerfBufferOptions perf = RunCommand.ringSize(streamed, pages, choices);
        BtfJsonDecoder decoder = RunCommand.decoder(typeName, spec.btf());
        SampleFormat format = raw ? SampleFormat.raw() : decoder == null ? SampleFormat.json()
                : SampleFormat.json(decoder);
        Privileges.current().requireBpf();
        try (KafkaProducer<byte[], byte[]> producer = producer();
             BpfObject object = spec.load()) {
            RunCommand.attach(NAME, object, choices.pid, choices.notLoadedReasons(spec, object));
            BpfMap map = object.map(streamed.name());
            KafkaSink sink = KafkaSink.builder(producer, topic).format(format).maxInFlight(maxInFlight).build();
            Flux<PerfEvent> events;
            BooleanSupplier complete;
            if (ringBuf) {
                if (map.lossCounter().isEmpty()) {
                    // the kernel counts no failed reserve, and the loader could not add a count to the programs
                    tally.lossUncounted();
                }
                RingBufStream<PerfEvent> stream = RingBufStream.events(map);
                events = stream;
                complete = stream::complete;
            } else {
                PerfStream<PerfEvent> stream = PerfStream.events(map, perf);
                events = stream;
                complete = stream::complete;
            }
            // subscribing opens the rings on this thread, so they are live when the count starts
            CompletableFuture<SinkTotals> shipment = sink.ship(events).toFuture();
            shipment.whenComplete((totals, failure) -> stop.stop());
            stop.attached();
            System.err.println(NAME + ": sending map '" + map.name() + "' to topic " + topic + " at " + bootstrap
                    + " as " + sink.host() + "/CPU (Ctrl-C or --duration ends it)");
            stop.await();
            complete.getAsBoolean();
            SinkTotals totals = settled(shipment);
            System.err.println(NAME + ": topic " + topic + ": acknowledged=" + totals.acknowledged() + " failed="
                    + totals.failed() + " lost=" + totals.lost() + " (acknowledged + failed + lost = "
                    + totals.accounted() + " samples; loss records " + totals.lostRecordsAcknowledged()
                    + " acknowledged, " + totals.lostRecordsFailed() + " failed)");
            tally.delivered(totals.acknowledged());
            tally.lost(totals.lost());
        }
    }

    /** The shipment's totals once every record sent settled, or its failure as thrown. */
    private static SinkTotals settled(CompletableFuture<SinkTotals> shipment) throws InterruptedException {
        try {
            return shipment.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "reactor-bpf-ship");
        config.putAll(producerSettings);
        try {
            return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            throw new IllegalArgumentException("cannot make a Kafka producer for --bootstrap " + bootstrap + " with "
                    + producerSettings + ": " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }
}
