package io.reactorbpf.examples.run;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.map.MapBtf;
import io.reactorbpf.core.object.MapSpec;
import io.reactorbpf.core.object.ObjectFormatException;
import io.reactorbpf.core.object.ObjectSpec;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.perf.maps.MapLayout;
import io.reactorbpf.perf.maps.MapSnapshots;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where an object's output is, chosen before it is loaded: the one PERF_EVENT_ARRAY or RINGBUF map that run
 * streams, or else the maps it reads as snapshots. Without {@code --map}: the object's only stream map; with none,
 * its maps whose values hold histograms (by their BTF), or with none of those every map a snapshot reads but the
 * global data. {@code --map} names them instead: one stream map, or any maps snapshots read (global data too).
 * Immutable.
 *
 * @param stream    the map to stream, or null
 * @param snapshots the maps to read as snapshots, empty when streaming
 */
record OutputMaps(MapSpec stream, List<MapSpec> snapshots) {

    OutputMaps {
        snapshots = List.copyOf(snapshots);
    }

    boolean streams() {
        return stream != null;
    }

    /**
     * The maps of {@code spec} run reads, as {@code names} (the {@code --map} options, maybe none) say.
     *
     * @throws CommandLine.ParameterException when a name is no map of the object, names a map run cannot read, or
     *                                        the names mix a stream with snapshots or name two streams
     * @throws ObjectFormatException          when the object has nothing run can read
     */
    static OutputMaps choose(ObjectSpec spec, List<String> names, CommandLine line) {
        if (!names.isEmpty()) {
            return named(spec, names, line);
        }
        List<MapSpec> streams = spec.maps().stream().filter(OutputMaps::isStream).toList();
        if (streams.size() > 1) {
            throw new ObjectFormatException("object '" + spec.name() + "' has " + streams.size() + " maps to stream "
                    + streams.stream().map(MapSpec::name).toList() + "; choose one with --map NAME");
        }
        if (streams.size() == 1) {
            return new OutputMaps(streams.get(0), List.of());
        }
        List<MapSpec> readable = spec.maps().stream().filter(m -> MapSnapshots.reads(m.type()) && !m.isGlobalData())
                .toList();
        List<MapSpec> histograms = readable.stream().filter(m -> !layout(spec, m).histograms().isEmpty()).toList();
        if (readable.isEmpty()) {
            throw new ObjectFormatException("object '" + spec.name() + "' has no PERF_EVENT_ARRAY or RINGBUF map to"
                    + " stream and no map to read; its maps are " + spec.maps().stream()
                    .map(m -> m.name() + " (" + m.type() + ")").toList());
        }
        return new OutputMaps(null, histograms.isEmpty() ? readable : histograms);
    }

    private static OutputMaps named(ObjectSpec spec, List<String> names, CommandLine line) {
        List<MapSpec> streams = new ArrayList<>();
        List<MapSpec> snapshots = new ArrayList<>();
        for (String name : names.stream().distinct().toList()) {
            MapSpec map;
            try {
                map = spec.map(name);
            } catch (ObjectFormatException e) {
                throw new CommandLine.ParameterException(line, "--map " + name + ": " + e.getMessage());
            }
            if (isStream(map)) {
                streams.add(map);
            } else if (MapSnapshots.reads(map.type())) {
                snapshots.add(map);
            } else {
                throw new CommandLine.ParameterException(line, "--map " + name + ": map '" + name + "' is "
                        + map.type() + "; run streams a PERF_EVENT_ARRAY or RINGBUF map and reads hash and array maps"
                        + " as snapshots");
            }
        }
        if (streams.size() > 1 || (!streams.isEmpty() && !snapshots.isEmpty())) {
            throw new CommandLine.ParameterException(line, "--map names " + names + ": run streams one"
                    + " PERF_EVENT_ARRAY or RINGBUF map, or reads any other maps as snapshots, not both");
        }
        return streams.isEmpty() ? new OutputMaps(null, snapshots) : new OutputMaps(streams.get(0), List.of());
    }

    /** How {@code map}'s entries will read once loaded: by the object's BTF, as the loader types the map. */
    static MapLayout layout(ObjectSpec spec, MapSpec map) {
        Optional<Btf> btf = spec.btf();
        if (btf.isPresent() && map.btfValueTypeId() != 0) {
            MapBtf types = new MapBtf(btf.get(), map.btfKeyTypeId(), map.btfValueTypeId());
            if (types.fits(map.keySize(), map.valueSize())) {
                return MapLayout.of(types, map.keySize(), map.valueSize());
            }
        }
        return MapLayout.untyped(map.keySize(), map.valueSize());
    }

    private static boolean isStream(MapSpec map) {
        return map.type() == MapType.PERF_EVENT_ARRAY || map.type() == MapType.RINGBUF;
    }
}
