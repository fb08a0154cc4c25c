package io.reactorbpf.examples.run;

import io.reactorbpf.core.attach.BpfLink;
import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.value.BtfJsonDecoder;
import io.reactorbpf.core.btf.value.BtfValueException;
import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.map.StackTraceMap;
import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.core.object.BpfProgram;
import io.reactorbpf.core.object.ObjectFormatException;
import io.reactorbpf.core.object.MapSpec;
import io.reactorbpf.core.object.ObjectSpec;
import io.reactorbpf.core.sys.Kernel;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.sys.Privileges;
import io.reactorbpf.examples.cli.JsonLines;
import io.reactorbpf.examples.cli.StopSignal;
import io.reactorbpf.examples.cli.StreamingCommand;
import io.reactorbpf.examples.cli.StreamingOptions;
import io.reactorbpf.examples.cli.Tally;
import io.reactorbpf.perf.PerfBuffer;
import io.reactorbpf.perf.PerfBufferOptions;
import io.reactorbpf.perf.RecordHandler;
import io.reactorbpf.perf.RingBuffer;
import io.reactorbpf.perf.maps.HistogramScale;
import io.reactorbpf.perf.maps.MapLayout;
import io.reactorbpf.perf.maps.MapSnapshot;
import io.reactorbpf.perf.maps.MapSnapshotOptions;
import io.reactorbpf.perf.maps.MapSnapshots;
import io.reactorbpf.perf.maps.SnapshotMode;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * {@code run OBJECT}: loads any libbpf-style BPF object, sets its globals, makes the choices its tool would make
 * before load ({@link LoadChoices}: programs left out, attach targets, map sizes), attaches every loaded program by
 * its section name or its {@code --attach} target and, until the duration ends or Ctrl-C, streams its perf event
 * array or BPF ring buffer to stdout as JSON lines, or, for an object whose output is in maps (or maps named with
 * {@code --map}), prints them every interval as the libbpf-tools do, histograms and tables (JSON lines with
 * {@code --json}), and a last time at the end. The maps and the options are checked before anything is loaded.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Load a BPF object, attach its programs by section and stream its perf event array or ring"
                + " buffer as JSON lines, or print its maps' histograms and tables every interval.")
public final class RunCommand implements Callable<Integer> {

    private static final String NAME = "run";

    @Parameters(index = "0", paramLabel = "OBJECT", description = "The BPF object file (clang -target bpf -g).")
    Path file;

    @Option(names = "--set", paramLabel = "NAME=VALUE", converter = AssignmentConverter.class,
            description = "Set a .rodata/.data/.bss global before load (integer, bool or string, by its BTF type).")
    List<GlobalAssignment> assignments = new ArrayList<>();

    @Option(names = "--map", paramLabel = "NAME", description = "A map to read: the PERF_EVENT_ARRAY or RINGBUF"
            + " map to stream (default: the only one), or, repeatable, maps to print every interval (default, when"
            + " there is none to stream: the maps holding histograms, else every map but the global data).")
    List<String> mapNames = new ArrayList<>();

    @Option(names = "--type", paramLabel = "STRUCT", description = "Decode samples as this BTF struct (default: hex).")
    String typeName;

    @Option(names = "--pages", paramLabel = "N", converter = PowerOfTwoPages.class, description = "Ring size in pages, a power of two: per CPU for a"
            + " perf event array (default: " + PerfBufferOptions.DEFAULT_PAGES + "), the whole ring for a RINGBUF map"
            + " (default: the object's own size).")
    Integer pages;

    @Option(names = "--quiet", description = "Print only the summary line.")
    boolean quiet;

    @Option(names = "--interval", paramLabel = "SECONDS", converter = IntervalSeconds.class,
            description = "Seconds between map snapshots (default: 1).")
    long intervalSeconds = 1;

    @Option(names = "--folded", description = "Print maps keyed by stack ids (as profile and offcputime keep them)"
            + " once, at the end, as folded stacks: COMM;USER;...;KERNEL_[k];... COUNT, flame-graph input.")
    boolean folded;

    @Option(names = "--json", description = "Print map snapshots as JSON lines instead of histograms and tables.")
    boolean json;

    @Option(names = "--unit", paramLabel = "NAME",
            description = "The label over histograms: usecs, bytes... (default: the slots' member name).")
    String unit;

    @Option(names = "--linear", paramLabel = "BASE,STEP", converter = LinearScale.class,
            description = "Histogram slots are STEP wide from BASE (default: log2 slots, as log2l() fills them).")
    HistogramScale linear;

    @Option(names = "--limit", paramLabel = "N", converter = RowLimit.class,
            description = "Rows of a map's table, largest values first (default: 10).")
    int limit = 10;

    @ArgGroup(exclusive = true)
    SnapshotValues values = new SnapshotValues();

    /** What map snapshots hold: per interval by default (deltas), totals, or per interval by clearing. */
    static final class SnapshotValues {

        @Option(names = "--cumulative", description = "Map snapshots hold totals since load, not the interval's counts.")
        boolean cumulative;

        @Option(names = "--clear", description = "Delete (or zero) what each snapshot read, as libbpf-tools do,"
                + " instead of subtracting the previous snapshot; writes landing between a read and its delete are lost.")
        boolean clear;
    }

    /** Options that only a streamed map, or only map snapshots, take. */
    private static final List<String> STREAM_OPTIONS = List.of("--type", "--pages");
    private static final List<String> SNAPSHOT_OPTIONS = List.of("--interval", "--json", "--unit", "--linear",
            "--limit", "--cumulative", "--clear", "--folded");

    @Spec
    CommandSpec command;

    @Mixin
    LoadChoices choices;

    @Mixin
    StreamingOptions options;

    @Override
    public Integer call() throws InterruptedException {
        return StreamingCommand.run(NAME, options, (stop, tally) -> {
            ObjectSpec spec = prepare(file, assignments, choices);
            OutputMaps output = OutputMaps.choose(spec, mapNames, command.commandLine());
            refuseOptionsOfTheOtherOutput(output);
            if (output.streams()) {
                try (JsonLines out = JsonLines.stdout()) {
                    stream(spec, output.stream(), stop, tally, out);
                }
            } else {
                snapshots(spec, output.snapshots(), stop, tally);
            }
        });
    }

    private void stream(ObjectSpec spec, MapSpec streamed, StopSignal stop, Tally tally, JsonLines out)
            throws InterruptedException {
        boolean ringBuf = streamed.type() == MapType.RINGBUF;
        PerfBufferOptions perf = ringSize(streamed, pages, choices);
        BtfJsonDecoder decoder = decoder(typeName, spec.btf());  // checked even when --quiet prints no sample
        Privileges.current().requireBpf();
        try (BpfObject object = spec.load()) {
            // the object owns the links: closing it detaches every program before it unloads them
            attach(NAME, object, choices.pid, choices.notLoadedReasons(spec, object));
            stop.attached();
            BpfMap map = object.map(streamed.name());
            SampleLines lines = new SampleLines(out, quiet ? null : decoder);
            RecordHandler handler = new RecordHandler() {
                @Override
                public void onSample(int cpu, ByteBuffer data, int offset, int length) {
                    if (!quiet) {
                        lines.sample(cpu, data, offset, length);
                    }
                    tally.delivered();
                }

                @Override
                public void onLost(int cpu, long count) {
                    if (!quiet) {
                        lines.lost(cpu, count);
                    }
                    tally.lost(count);
                }
            };
            if (ringBuf) {
                if (map.lossCounter().isEmpty()) {
                    // the kernel counts no failed reserve, and the loader could not add a count to the programs
                    tally.lossUncounted();
                }
                try (RingBuffer ring = RingBuffer.open(map, handler)) {
                    drain(ring, stop);
                }
            } else {
                try (PerfBuffer buffer = PerfBuffer.open(map, perf, handler)) {
                    drain(buffer, stop);
                }
            }
        }
    }

    /**
     * Prints {@code maps} every interval until the run stops, then a last time: each tick's snapshots of all of
     * them together, in order, as text or JSON lines; the tally counts the snapshots. A map whose values hold no
     * integer known has nothing to subtract, so it is printed as it is.
     */
    private void snapshots(ObjectSpec spec, List<MapSpec> maps, StopSignal stop, Tally tally)
            throws InterruptedException {
        HistogramScale scale = linear != null ? linear : HistogramScale.log2();
        if (folded) {
            folded(spec, maps, stop, tally);
            return;
        }
        List<MapSnapshotOptions> reads = new ArrayList<>();
        for (MapSpec m : maps) {
            MapLayout layout = OutputMaps.layout(spec, m);
            if (values.clear && layout.holdsGlobalData()) {
                throw new CommandLine.ParameterException(command.commandLine(), "--clear would zero the global"
                        + " variables map '" + m.name() + "' holds; leave --clear out to print what changed each interval");
            }
            MapSnapshotOptions o = MapSnapshotOptions.builder().interval(Duration.ofSeconds(intervalSeconds))
                    .mode(mode(layout)).build();
            MapSnapshots.check(m.name(), m.type(), layout, o);
            reads.add(o);
        }
        Privileges.current().requireBpf();
        try (BpfObject object = spec.load()) {
            attach(NAME, object, choices.pid, choices.notLoadedReasons(spec, object));
            stop.attached();
            List<MapSnapshots> streams = new ArrayList<>();
            for (int i = 0; i < maps.size(); i++) {
                streams.add(MapSnapshots.of(object.map(maps.get(i).name()), reads.get(i)));
            }
            List<SnapshotText> texts = streams.stream().map(s -> new SnapshotText(s.layout(), scale, unit, limit)).toList();
            List<SnapshotJson> jsons = streams.stream().map(s -> new SnapshotJson(s.layout(), scale)).toList();
            PrintStream text = System.out;
            try (JsonLines lines = JsonLines.stdout()) {
                SnapshotRun.run(streams, tick -> {
                    for (int i = 0; i < tick.size(); i++) {
                        MapSnapshot s = tick.get(i);
                        if (!quiet && json) {
                            ObjectNode line = jsons.get(i).render(s);
                            lines.write(g -> g.writeRawValue(line.toString()));
                        } else if (!quiet) {
                            text.print(texts.get(i).render(s));
                        }
                        tally.delivered();
                    }
                    text.flush();
                }, stop);
            }
        }
    }

    /**
     * Reads {@code maps} until the run stops and prints those keyed by stack ids once, as folded stacks of their
     * totals; the object's one STACK_TRACE map resolves the ids.
     */
    private void folded(ObjectSpec spec, List<MapSpec> maps, StopSignal stop, Tally tally)
            throws InterruptedException {
        List<String> others = Stream.of("--json", "--clear", "--unit", "--linear", "--limit")
                .filter(command.commandLine().getParseResult()::hasMatchedOption).toList();
        if (!others.isEmpty()) {
            throw new CommandLine.ParameterException(command.commandLine(), "--folded prints stack counts once, at"
                    + " the end; leave out " + String.join(", ", others));
        }
        List<MapSpec> stackMaps = spec.maps().stream().filter(m -> m.type() == MapType.STACK_TRACE).toList();
        if (stackMaps.size() != 1) {
            throw new ObjectFormatException("--folded needs one STACK_TRACE map for the stack ids; object '"
                    + spec.name() + "' has " + stackMaps.stream().map(MapSpec::name).toList());
        }
        Privileges.current().requireBpf();
        try (BpfObject object = spec.load()) {
            StackTraceMap stacks = new StackTraceMap(object.map(stackMaps.get(0).name()));
            List<MapSnapshots> streams = new ArrayList<>();
            List<FoldedStacks> renderers = new ArrayList<>();
            for (MapSpec m : maps) {
                MapLayout layout = OutputMaps.layout(spec, m);
                FoldedStacks.of(layout, m.keySize(), stacks).ifPresent(f -> {
                    renderers.add(f);
                    streams.add(MapSnapshots.of(object.map(m.name()), MapSnapshotOptions.builder()
                            .interval(Duration.ofSeconds(intervalSeconds)).mode(SnapshotMode.CUMULATIVE).build()));
                });
            }
            if (streams.isEmpty()) {
                throw new ObjectFormatException("--folded: no map of " + maps.stream().map(MapSpec::name).toList()
                        + " is keyed by stack ids (a key field naming stack and kern or user) with counts as values");
            }
            attach(NAME, object, choices.pid, choices.notLoadedReasons(spec, object));
            stop.attached();
            System.err.println(NAME + ": counting stacks in " + maps.stream().map(MapSpec::name).toList()
                    + "; folded stacks print at the end (Ctrl-C or --duration)");
            AtomicReference<List<MapSnapshot>> last = new AtomicReference<>(List.of());
            SnapshotRun.run(streams, tick -> {
                last.set(tick);
                tally.delivered();
            }, stop);
            if (!quiet) {
                for (int i = 0; i < renderers.size(); i++) {
                    renderers.get(i).lines(last.get().get(i)).forEach(System.out::println);
                }
                System.out.flush();
            }
        }
    }

    private SnapshotMode mode(MapLayout layout) {
        if (values.clear) {
            return SnapshotMode.CLEAR;
        }
        return values.cumulative || !layout.hasIntegers() ? SnapshotMode.CUMULATIVE : SnapshotMode.DELTA;
    }

    /** Refuses the options that only the other kind of output takes: they would be silently ignored. */
    private void refuseOptionsOfTheOtherOutput(OutputMaps output) {
        CommandLine.ParseResult parsed = command.commandLine().getParseResult();
        List<String> given = (output.streams() ? SNAPSHOT_OPTIONS : STREAM_OPTIONS).stream()
                .filter(parsed::hasMatchedOption).toList();
        if (!given.isEmpty()) {
            boolean one = given.size() == 1;
            throw new CommandLine.ParameterException(command.commandLine(), String.join(", ", given)
                    + (one ? " applies" : " apply") + (output.streams() ? " only to map snapshots, and run streams map '"
                    + output.stream().name() + "'" : " only to a streamed map, and run prints maps "
                    + output.snapshots().stream().map(MapSpec::name).toList()) + "; leave " + (one ? "it" : "them")
                    + " out");
        }
    }

    /**
     * Reads the rings on this thread until told to stop, then ends output and hands out what they still hold:
     * every sample written before the stop is printed or counted as lost. A batched ring is looked at once per
     * latency bound, so records below the wakeup threshold still come out within it; while every ring wakes the
     * reader per sample, the poll waits with no timeout (a stop wakes it), so an idle run does not wake.
     */
    private static void drain(PerfBuffer buffer, StopSignal stop) {
        stop.onStop(buffer::wakeup);
        while (!stop.stopped()) {
            if (buffer.poll(shorter(buffer.peekMillis(), stop.millisLeft())) == 0) {
                buffer.consume();
            }
        }
        buffer.finish();
    }

    /** The shorter of two poll timeouts, -1 meaning none. */
    private static int shorter(int a, int b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    /**
     * Reads the ring buffer on this thread until told to stop, then takes what producers committed until then. The
     * kernel wakes the reader for each sample it commits while the reader is caught up, so the poll waits with no
     * timeout (a stop wakes it); a poll that returns with nothing is followed by a consume, which hands out
     * losses that came with no sample (a sample too big for the ring).
     */
    private static void drain(RingBuffer ring, StopSignal stop) {
        stop.onStop(ring::wakeup);
        while (!stop.stopped()) {
            if (ring.poll(stop.millisLeft()) == 0) {
                ring.consume();
            }
        }
        ring.consume();
    }

    /**
     * Attaches every loaded program by its section or --attach target (uprobes and USDT probes in process
     * {@code pid} only, unless -1); says on stderr, as {@code command}, which programs were not
     * loaded ({@code notLoaded}, why each) and which name nothing to attach to (a bare "uprobe", a socket filter),
     * since their events cannot come, and fails when none attaches.
     */
    static void attach(String command, BpfObject object, int pid, List<String> notLoaded) {
        List<BpfLink> links = object.attachAll(pid);
        List<String> skipped = new ArrayList<>();
        for (BpfProgram p : object.programs()) {
            p.autoAttachRefusal().ifPresent(skipped::add);
        }
        if (links.isEmpty()) {
            List<String> all = new ArrayList<>(notLoaded);
            all.addAll(skipped);
            throw new ObjectFormatException("none of the programs of object '" + object.name() + "' attaches by its"
                    + " section, so nothing would reach the map: " + String.join("; ", all));
        }
        notLoaded.forEach(why -> System.err.println(command + ": not loaded: " + why));
        skipped.forEach(why -> System.err.println(command + ": not attached: " + why));
    }

    /** Opens {@code file} with the globals and load choices a command line gives, checked before anything loads. */
    static ObjectSpec prepare(Path file, List<GlobalAssignment> assignments, LoadChoices choices) {
        ObjectSpec spec = open(file);
        for (GlobalAssignment a : assignments) {
            a.applyTo(spec);
        }
        choices.applyTo(spec);
        return spec;
    }

    private static ObjectSpec open(Path file) {
        if (!Files.exists(file)) {
            throw new ObjectFormatException("no such file: " + file);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ObjectFormatException("cannot read " + file + ": not a readable file");
        }
        return BpfObject.open(file);
    }

    /** The --type decoder, null for hex when no type is asked for; a type the object's BTF lacks is an error. */
    /**
     * The perf ring options {@code --pages} gives a streamed perf event array; for a ring buffer, sizes the map
     * itself (its max_entries, before load). Throws when {@code --pages} and {@code --max-entries} both size it.
     */
    static PerfBufferOptions ringSize(MapSpec streamed, Integer pages, LoadChoices choices) {
        boolean ringBuf = streamed.type() == MapType.RINGBUF;
        if (ringBuf && pages != null && choices.sizesEntriesOf(streamed.name())) {
            throw new ObjectFormatException("--pages and --max-entries both size ring buffer '" + streamed.name()
                    + "'; keep one");
        }
        if (ringBuf && pages != null) {
            // a ring buffer's size is its max_entries, fixed at load: a page count that is a power of two fits
            streamed.maxEntries(Math.multiplyExact(pages, Kernel.pageSize()));
        }
        return PerfBufferOptions.builder().pages(pages != null ? pages : PerfBufferOptions.DEFAULT_PAGES).build();
    }

    /** The decoder {@code --type} names in {@code btf}; null without {@code --type}. */
    static BtfJsonDecoder decoder(String typeName, Optional<Btf> btf) {
        if (typeName == null) {
            return null;
        }
        if (btf.isEmpty()) {
            throw new ObjectFormatException("the object has no BTF (compile it with -g), so --type " + typeName
                    + " cannot decode its samples; leave --type out to print them as hex");
        }
        try {
            return BtfJsonDecoder.forType(btf.get(), typeName);
        } catch (BtfValueException e) {
            throw new ObjectFormatException("--type " + typeName + ": " + e.getMessage()
                    + "; leave --type out to print samples as hex");
        }
    }
}
