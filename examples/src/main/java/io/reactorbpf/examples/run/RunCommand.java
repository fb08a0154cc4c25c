package io.reactorbpf.examples.run;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.value.BtfJsonDecoder;
import io.reactorbpf.core.btf.value.BtfValueException;
import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.core.object.ObjectFormatException;
import io.reactorbpf.core.object.ObjectSpec;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.sys.Privileges;
import io.reactorbpf.examples.cli.Failure;
import io.reactorbpf.examples.cli.JsonLines;
import io.reactorbpf.examples.cli.StopSignal;
import io.reactorbpf.examples.cli.StreamingCommand;
import io.reactorbpf.examples.cli.StreamingOptions;
import io.reactorbpf.examples.cli.Tally;
import io.reactorbpf.perf.PerfBuffer;
import io.reactorbpf.perf.PerfBufferOptions;
import io.reactorbpf.perf.RecordHandler;
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
 * {@code run OBJECT}: loads any libbpf-style BPF object, sets its globals, attaches every program by its section
 * name and streams its perf event array to stdout as JSON lines until the duration ends or Ctrl-C.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Load a BPF object, attach its programs by section and stream its perf event array as JSON lines.")
public final class RunCommand implements Callable<Integer> {

    private static final String NAME = "run";

    @Parameters(index = "0", paramLabel = "OBJECT", description = "The BPF object file (clang -target bpf -g).")
    Path file;

    @Option(names = "--set", paramLabel = "NAME=VALUE", converter = AssignmentConverter.class,
            description = "Set a .rodata/.data/.bss global before load (integer, bool or string, by its BTF type).")
    List<GlobalAssignment> assignments = new ArrayList<>();

    @Option(names = "--map", paramLabel = "NAME", description = "The perf event array to stream (default: the only one).")
    String mapName;

    @Option(names = "--type", paramLabel = "STRUCT", description = "Decode samples as this BTF struct (default: hex).")
    String typeName;

    @Option(names = "--pages", paramLabel = "N", description = "Ring size per CPU in pages, a power of two (default: ${DEFAULT-VALUE}).")
    int pages = PerfBufferOptions.DEFAULT_PAGES;

    @Option(names = "--quiet", description = "Print only the summary line.")
    boolean quiet;

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
        BtfJsonDecoder decoder = quiet ? null : decoder(spec.btf());
        Privileges.current().requireBpf();
        try (BpfObject object = spec.load()) {
            // the object owns the links: closing it detaches every program before it unloads them
            object.attachAll();
            SampleLines lines = new SampleLines(out, decoder);
            PerfBufferOptions perf = PerfBufferOptions.builder().pages(pages).build();
            try (PerfBuffer buffer = PerfBuffer.open(perfMap(object), perf, new RecordHandler() {
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
            })) {
                drain(buffer, stop);
            }
        }
    }

    /**
     * Reads the rings on this thread until told to stop, then ends output and hands out what they still hold:
     * every sample written before the stop is printed or counted as lost. A wakeup-less ring is looked at once
     * per latency bound, so records below the wakeup threshold still come out within it.
     */
    private static void drain(PerfBuffer buffer, StopSignal stop) {
        int peekMillis = buffer.options().peekMillis();
        while (!stop.stopped()) {
            if (buffer.poll(peekMillis < 0 ? 100 : peekMillis) == 0) {
                buffer.consume();
            }
        }
        buffer.finish();
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

    /** The --type decoder, or null for hex when no type is asked for or the object's BTF has none of that name. */
    private BtfJsonDecoder decoder(Optional<Btf> btf) {
        if (typeName == null) {
            return null;
        }
        if (btf.isEmpty()) {
            System.err.println(NAME + ": the object has no BTF (compile with -g), so --type " + typeName
                    + " cannot apply; printing raw samples");
            return null;
        }
        try {
            return BtfJsonDecoder.forType(btf.get(), typeName);
        } catch (BtfValueException e) {
            System.err.println(NAME + ": " + Failure.describe(e) + "; printing raw samples");
            return null;
        }
    }

    private BpfMap perfMap(BpfObject object) {
        if (mapName != null) {
            BpfMap map = object.map(mapName);
            if (map.type() != MapType.PERF_EVENT_ARRAY) {
                throw new ObjectFormatException("map '" + mapName + "' is a " + map.type()
                        + ", not a PERF_EVENT_ARRAY; --map names the perf event array to stream");
            }
            return map;
        }
        List<BpfMap> perf = object.maps().stream().filter(m -> m.type() == MapType.PERF_EVENT_ARRAY).toList();
        if (perf.size() != 1) {
            throw new ObjectFormatException("object '" + object.name() + "' has " + (perf.isEmpty() ? "no"
                    : perf.size()) + " PERF_EVENT_ARRAY maps" + (perf.isEmpty() ? "" : " "
                    + perf.stream().map(BpfMap::name).toList() + "; choose one with --map NAME"));
        }
        return perf.get(0);
    }
}
