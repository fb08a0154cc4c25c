package io.reactorbpf.perf.maps;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.map.MapEntry;
import io.reactorbpf.core.map.MapException;
import io.reactorbpf.core.sys.MapType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one map for one subscription: every entry with the map's batch lookup where the kernel has it (key by key
 * otherwise, see {@link BpfMap#entries()}), deleted or zeroed after the read for {@link SnapshotMode#CLEAR}, per-CPU
 * values summed or split, and for {@link SnapshotMode#DELTA} less the previous read's values. Keeps the previous
 * read for that; confined to the subscription's worker.
 */
final class MapReader implements SnapshotSource {

    /** The map types whose entries are keys and plain values a snapshot can read. */
    static final Set<MapType> READABLE = EnumSet.of(MapType.HASH, MapType.ARRAY, MapType.PERCPU_HASH,
            MapType.PERCPU_ARRAY, MapType.LRU_HASH, MapType.LRU_PERCPU_HASH, MapType.LPM_TRIE);

    private final BpfMap map;
    private final MapSnapshotOptions options;
    private final ValueArithmetic arithmetic;
    private Map<ByteBuffer, List<byte[]>> previous = Map.of();

    MapReader(BpfMap map, MapLayout layout, MapSnapshotOptions options) {
        check(map.name(), map.type(), layout, options);
        this.map = map;
        this.options = options;
        this.arithmetic = layout.arithmetic().orElse(null);
    }

    /** Refuses a map these options cannot read, naming what to do instead. */
    static void check(String name, MapType type, MapLayout layout, MapSnapshotOptions options) {
        if (!READABLE.contains(type)) {
            throw new MapException("map '" + name + "' is a " + type + " map; snapshots read " + READABLE
                    + " maps (stream a PERF_EVENT_ARRAY with PerfStream and a RINGBUF with RingBufStream)");
        }
        String noIntegers = "map '" + name + "' has " + layout.valueSize() + "-byte values with no integer known ("
                + (layout.typed() ? "its BTF value type has none" : "it has no BTF") + ")";
        boolean perCpu = type == MapType.PERCPU_HASH || type == MapType.PERCPU_ARRAY || type == MapType.LRU_PERCPU_HASH;
        if (perCpu && options.cpuValues() == CpuValues.SUMMED && !layout.hasIntegers()) {
            throw new MapException(noIntegers + ", so its per-CPU values cannot be summed: read them with"
                    + " CpuValues.PER_CPU");
        }
        if (options.mode() == SnapshotMode.DELTA && !layout.hasIntegers()) {
            throw new MapException(noIntegers + ", so a DELTA snapshot has nothing to subtract: read it"
                    + " CUMULATIVE or CLEAR");
        }
        if (options.mode() == SnapshotMode.CLEAR && layout.holdsGlobalData()) {
            throw new MapException("map '" + name + "' holds the object's global variables, which clearing"
                    + " would zero: read it CUMULATIVE or DELTA");
        }
    }

    @Override
    public List<MapSnapshot.Entry> read() {
        List<MapEntry> raw = options.mode() == SnapshotMode.CLEAR ? take() : map.entries();
        boolean delta = options.mode() == SnapshotMode.DELTA;
        Map<ByteBuffer, List<byte[]>> current = delta ? new HashMap<>(raw.size() * 2) : null;
        List<MapSnapshot.Entry> entries = new ArrayList<>(raw.size());
        for (MapEntry e : raw) {
            List<byte[]> values = map.perCpuValues(e.value());
            if (map.isPerCpu() && options.cpuValues() == CpuValues.SUMMED) {
                values = List.of(arithmetic.sum(values));
            }
            if (delta) {
                ByteBuffer key = ByteBuffer.wrap(e.key());
                current.put(key, values);
                values = minus(values, previous.get(key));
            }
            entries.add(new MapSnapshot.Entry(e.key(), values));
        }
        if (delta) {
            previous = current;
        }
        return entries;
    }

    /** Each value less the one before it; the values themselves for a key that was not there before. */
    private List<byte[]> minus(List<byte[]> now, List<byte[]> before) {
        if (before == null) {
            return now;
        }
        List<byte[]> differences = new ArrayList<>(now.size());
        for (int i = 0; i < now.size(); i++) {
            differences.add(arithmetic.minus(now.get(i), before.get(i)));
        }
        return differences;
    }

    /** The entries, deleted from a hash map or zeroed in an array once read. */
    private List<MapEntry> take() {
        if (map.type() != MapType.ARRAY && map.type() != MapType.PERCPU_ARRAY) {
            return map.lookupAndDeleteEntries();
        }
        List<MapEntry> entries = map.entries();
        byte[] zero = new byte[map.valueBufferSize()];
        for (MapEntry e : entries) {
            if (!Arrays.equals(e.value(), zero)) {
                // between the read and this write, what the program adds is lost (see SnapshotMode.CLEAR)
                map.update(e.key(), zero);
            }
        }
        return entries;
    }
}
