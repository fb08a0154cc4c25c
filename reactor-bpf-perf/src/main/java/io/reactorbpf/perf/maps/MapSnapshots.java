package io.reactorbpf.perf.maps;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.sys.MapType;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A map read every interval, as a {@code Flux} of {@link MapSnapshot}s: what libbpf-tools such as runqlat,
 * biolatency or syscount do with the maps their programs fill, printing a histogram or a table each interval.
 * Each read takes every entry with one BPF_MAP_LOOKUP_BATCH (or BPF_MAP_LOOKUP_AND_DELETE_BATCH to clear) call
 * per batch where the kernel has it for the map type, key by key with BPF_MAP_GET_NEXT_KEY and lookups otherwise.
 * {@link MapLayout#of(BpfMap)} reads the entries by the map's BTF.
 *
 * <p><b>A handle.</b> The stream is cold: each subscription has its own ticks, its own {@link SnapshotMode#DELTA}
 * baseline and, unless {@link MapSnapshotOptions#scheduler()} gives one, its own daemon thread {@code maps-NAME-N},
 * on which it reads and signals {@code onNext}; its first read comes one interval after it subscribes.
 * {@link #complete()} ends every live subscription with one last snapshot, as a tool prints a last histogram on
 * Ctrl-C. Two {@link SnapshotMode#CLEAR} subscriptions to one map share its counts between them.
 *
 * <p><b>Backpressure: a tick without demand is skipped.</b> A read is made only at a tick that finds demand; at
 * a tick that finds none the map is not read at all (nothing is queued, nothing is copied) and the next snapshot
 * counts the tick in {@link MapSnapshot#skipped()}. A slow subscriber therefore sees fewer, later snapshots, never
 * stale ones: a cumulative snapshot is as fresh as its read, a DELTA snapshot is relative to the previous one
 * emitted and a CLEAR one holds everything since the previous clearing, skipped intervals included. A read that
 * takes longer than the interval delays the next tick rather than overlapping it.
 *
 * <p><b>Ending.</b> A read that fails (the map closed under the stream reads EBADF) ends the subscription with
 * that error; cancelling stops the ticks (a read in progress finishes, its snapshot is dropped) and ends the
 * subscription's own thread. The map stays the caller's: close it after the stream ends.
 *
 * @since 0.1
 */
public final class MapSnapshots extends Flux<MapSnapshot> {

    private final String map;
    private final MapSnapshotOptions options;
    private final MapLayout layout;
    private final Supplier<SnapshotSource> sources;
    private final Set<SnapshotSubscription> live = ConcurrentHashMap.newKeySet();
    private volatile boolean completed;

    MapSnapshots(String map, MapSnapshotOptions options, MapLayout layout, Supplier<SnapshotSource> sources) {
        this.map = map;
        this.options = options;
        this.layout = layout;
        this.sources = sources;
    }

    /**
     * Snapshots of {@code map} with {@link MapSnapshotOptions#defaults()}: every second, cumulative, CPUs summed.
     *
     * @param map the hash, array, LRU hash or LPM trie (or per-CPU one) to read; stays the caller's, to close after
     *            the stream ends
     * @return a cold stream: nothing is read until a subscription asks
     * @throws io.reactorbpf.core.map.MapException when the map cannot be read so, saying what can
     * @throws IllegalArgumentException when the map's BTF types do not fit its key and value sizes, or cannot be
     *                                  read
     */
    public static MapSnapshots of(BpfMap map) {
        return of(map, MapSnapshotOptions.defaults());
    }

    /**
     * Snapshots of {@code map} as {@code options} say. Checked here, before any subscription: the map must be a
     * hash, array, LRU hash, LPM trie or a per-CPU one of these, and its value's integers must be known (its BTF,
     * or a value of 1, 2, 4 or 8 bytes) to sum per-CPU values or take deltas.
     *
     * @param map     the map to read; stays the caller's, to close after the stream ends
     * @param options how often, in which mode and on which scheduler to read it
     * @return a cold stream: nothing is read until a subscription asks
     * @throws io.reactorbpf.core.map.MapException when the map cannot be read so, saying what can
     * @throws IllegalArgumentException when the map's BTF types do not fit its key and value sizes, or cannot be
     *                                  read
     */
    public static MapSnapshots of(BpfMap map, MapSnapshotOptions options) {
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(options, "options");
        MapLayout layout = MapLayout.of(map);
        check(map.name(), map.type(), layout, options);
        return new MapSnapshots(map.name(), options, layout, () -> new MapReader(map, layout, options));
    }

    /**
     * Whether snapshots read maps of {@code type}: hashes, arrays, LRU hashes, LPM tries and their per-CPU kinds.
     * Rings, queues, stacks and maps of programs or maps are streamed or used otherwise.
     *
     * @param type a map type, as {@link BpfMap#type()} gives it
     * @return true when a map of this type holds keys and plain values a snapshot can read
     */
    public static boolean reads(MapType type) {
        return MapReader.READABLE.contains(type);
    }

    /**
     * Refuses, as {@link #of(BpfMap, MapSnapshotOptions)} does, to read map {@code name} of {@code type} whose
     * entries read as {@code layout} with {@code options}: so a map can be checked before it is created.
     *
     * @param name    the map's name, for the message
     * @param type    the map's type
     * @param layout  how its entries read, such as {@link MapLayout#of(io.reactorbpf.core.map.MapBtf, int, int)}
     *                gives it from the object's map definition
     * @param options the options it would be read with
     * @throws io.reactorbpf.core.map.MapException when the map cannot be read so, saying what can
     */
    public static void check(String name, MapType type, MapLayout layout, MapSnapshotOptions options) {
        MapReader.check(name, type, layout, options);
    }

    /**
     * Ends every live subscription, and any made from now on, with one last snapshot: read at once on its worker,
     * emitted when demand allows, then {@code onComplete}. Returns at once; any thread.
     */
    public void complete() {
        completed = true;
        live.forEach(SnapshotSubscription::complete);
    }

    /**
     * The map's name.
     *
     * @return the name, as each snapshot's {@link MapSnapshot#map()} gives it
     */
    public String mapName() {
        return map;
    }

    /**
     * The options every subscription reads with.
     *
     * @return the options given when made
     */
    public MapSnapshotOptions options() {
        return options;
    }

    /**
     * How the snapshots' keys and values read.
     *
     * @return the map's layout, worked out once when made, to decode the snapshots' keys, values and histograms
     */
    public MapLayout layout() {
        return layout;
    }

    @Override
    public void subscribe(CoreSubscriber<? super MapSnapshot> actual) {
        SnapshotSource source;
        try {
            source = sources.get();
        } catch (RuntimeException e) {
            Operators.error(actual, e);
            return;
        }
        Scheduler own = options.scheduler() == null ? Schedulers.newSingle("maps-" + map, true) : null;
        SnapshotSubscription s = new SnapshotSubscription(actual, map, source, own != null ? own : options.scheduler(),
                options.interval().toNanos(), ended -> {
                    live.remove(ended);
                    if (own != null) {
                        own.dispose();
                    }
                });
        live.add(s);
        s.start();
        if (completed) {
            s.complete();
        }
    }

    @Override
    public String toString() {
        return "MapSnapshots[" + map + ", " + options.interval() + ", " + options.mode() + "]";
    }
}
