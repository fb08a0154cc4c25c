package io.reactorbpf.examples.run;

import io.reactorbpf.core.attach.BpfLink;
import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.value.BtfJsonDecoder;
import io.reactorbpf.core.btf.value.BtfValueException;
import io.reactorbpf.core.map.BpfMap;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code run OBJECT}: loads any libbpf-style BPF object, sets its globals, makes the choices its tool would make
 * before load ({@link LoadChoices}: programs left out, attach targets, map sizes), attaches every loaded program by
 * its section name or its {@code --attach} target and streams its perf event array or BPF ring buffer to stdout as
 * JSON lines until the duration ends or Ctrl-C. The map and the options are checked before anything is loaded.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Load a BPF object, attach its programs by section and stream its perf event array or ring"
                + " buffer as JSON lines.")
public final class RunCommand implements Callable<Integer> {

    private static final String NAME = "run";

    @Parameters(index = "0", paramLabel = "OBJECT", description = "The BPF object file (clang -target bpf -g).")
    Path file;

    @Option(names = "--set", paramLabel = "NAME=VALUE", converter = AssignmentConverter.class,
            description = "Set a .rodata/.data/.bss global before load (integer, bool or string, by its BTF type).")
    List<GlobalAssignment> assignments = new ArrayList<>();

    @Option(names = "--map", paramLabel = "NAME",
            description = "The PERF_EVENT_ARRAY or RINGBUF map to stream (default: the only one).")
    String mapName;

    @Option(names = "--type", paramLabel = "STRUCT", description = "Decode samples as this BTF struct (default: hex).")
    String typeName;

    @Option(names = "--pages", paramLabel = "N", converter = PowerOfTwoPages.class, description = "Ring size in pages, a power of two: per CPU for a"
            + " perf event array (default: " + PerfBufferOptions.DEFAULT_PAGES + "), the whole ring for a RINGBUF map"
            + " (default: the object's own size).")
    Integer pages;

    @Option(names = "--quiet", description = "Print only the summary line.")
    boolean quiet;

    @Mixin
    LoadChoices choices;

    @Mixin
    StreamingOptions options;

    @Override
    public Integer call() throws InterruptedException {
        return StreamingCommand.run(NAME, options, (stop, tally) -> {
            try (JsonLines out = JsonLines.stdout()) {
                stream(stop, tally, out);
            }
        });
    }

    private void stream(StopSignal stop, Tally tally, JsonLines out) throws InterruptedException {
        ObjectSpec spec = open(file);
        for (GlobalAssignment a : assignments) {
            a.applyTo(spec);
        }
        choices.applyTo(spec);
        MapSpec streamed = streamedMap(spec);
        boolean ringBuf = streamed.type() == MapType.RINGBUF;
        if (ringBuf && pages != null && choices.sizesEntriesOf(streamed.name())) {
            throw new ObjectFormatException("--pages and --max-entries both size ring buffer '" + streamed.name()
                    + "'; keep one");
        }
        PerfBufferOptions perf = PerfBufferOptions.builder()
                .pages(pages != null ? pages : PerfBufferOptions.DEFAULT_PAGES).build();
        if (ringBuf && pages != null) {
            // a ring buffer's size is its max_entries, fixed at load: a page count that is a power of two fits
            streamed.maxEntries(Math.multiplyExact(pages, Kernel.pageSize()));
        }
        BtfJsonDecoder decoder = decoder(spec.btf());  // checked even when --quiet prints no sample
        Privileges.current().requireBpf();
        try (BpfObject object = spec.load()) {
            // the object owns the links: closing it detaches every program before it unloads them
            attach(object, choices.notLoadedReasons(spec, object));
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
     * Attaches every loaded program by its section or --attach target; says on stderr which programs were not
     * loaded ({@code notLoaded}, why each) and which name nothing to attach to (a bare "uprobe", a socket filter),
     * since their events cannot come, and fails when none attaches.
     */
    private static void attach(BpfObject object, List<String> notLoaded) {
        List<BpfLink> links = object.attachAll();
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
        notLoaded.forEach(why -> System.err.println(NAME + ": not loaded: " + why));
        skipped.forEach(why -> System.err.println(NAME + ": not attached: " + why));
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
    private BtfJsonDecoder decoder(Optional<Btf> btf) {
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

    /** The map --map names, or the object's only perf event array or ring buffer; checked before load. */
    private MapSpec streamedMap(ObjectSpec spec) {
        if (mapName != null) {
            MapSpec map = spec.map(mapName);
            if (!streamable(map)) {
                throw new ObjectFormatException("map '" + mapName + "' is a " + map.type() + "; run streams a"
                        + " PERF_EVENT_ARRAY or RINGBUF map, which --map names");
            }
            return map;
        }
        List<MapSpec> streams = spec.maps().stream().filter(RunCommand::streamable).toList();
        if (streams.size() != 1) {
            throw new ObjectFormatException("object '" + spec.name() + "' has " + (streams.isEmpty()
                    ? "no PERF_EVENT_ARRAY or RINGBUF map to stream; its maps are " + spec.maps().stream()
                            .map(m -> m.name() + " (" + m.type() + ")").toList()
                    : streams.size() + " maps to stream " + streams.stream().map(MapSpec::name).toList()
                            + "; choose one with --map NAME"));
        }
        return streams.get(0);
    }

    private static boolean streamable(MapSpec map) {
        return map.type() == MapType.PERF_EVENT_ARRAY || map.type() == MapType.RINGBUF;
    }
}
