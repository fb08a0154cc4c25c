package io.reactorbpf.perf;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.Kernel;
import io.reactorbpf.core.sys.MapInfo;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.sys.PerfEventAttr;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a perf buffer reads: a {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY} map, the rings to open for it and how
 * the kernel wakes the reader. Immutable and thread-safe; every {@code with} method returns a changed copy.
 * The streams it makes ({@link #events()}, {@link #samples()}, {@link #decode}) and the blocking
 * {@link PerfBuffer} it opens all read the same map, so only one of them may be active at a time: the map
 * has one slot per CPU.
 *
 * <p>Defaults, chosen for high throughput with bounded latency: 128 pages (512 KiB) per CPU, a wakeup once a quarter of
 * a ring is full, and a timed peek at every ring's {@code data_head} each millisecond so that records below
 * the watermark still arrive within that bound. {@link #withWakeupEvents(int) withWakeupEvents(1)} gives
 * libbpf's default of one wakeup per sample.
 *
 * <p>A sample larger than a ring's data area can never be written: the kernel drops it without a LOST record.
 * Declare the largest sample with {@link #withMaxSampleSize(int)} to have such a spec refused up front;
 * otherwise size the rings (with {@link #withPages(int)}) for the largest sample the program sends.
 */
public final class PerfBufferSpec {

    /**
     * Default ring size in pages (a power of two): 512 KiB with 4 KiB pages, the largest ring the kernel's
     * default {@code perf_event_mlock_kb} (516 KiB per CPU: data plus the header page) lets an unprivileged user lock, and
     * the default of the {@code perf} tool. At a million 64-byte samples a second it holds about 6 ms, so a
     * young-generation GC pause of the JVM does not overflow it.
     */
    public static final int DEFAULT_PAGES = 128;
    /** Default bound on how long a record may wait below the wakeup threshold. */
    public static final Duration DEFAULT_LATENCY_BOUND = Duration.ofMillis(1);

    private final FileDescriptor map;
    private final String mapName;
    private final int mapId;
    private final int maxEntries;
    private final int pages;
    private final int wakeupEvents;
    private final int wakeupWatermark;
    private final Duration latencyBound;
    private final int[] cpus;
    private final int[] keys;
    private final PerfEventAttr rawAttr;
    private final int maxSampleSize;
    private final boolean overwritable;
    private final PerfBufferListener listener;

    private PerfBufferSpec(FileDescriptor map, String mapName, int mapId, int maxEntries, int pages, int wakeupEvents,
                           int wakeupWatermark, Duration latencyBound, int[] cpus, int[] keys, PerfEventAttr rawAttr,
                           int maxSampleSize, boolean overwritable, PerfBufferListener listener) {
        this.map = map;
        this.mapName = mapName;
        this.mapId = mapId;
        this.maxEntries = maxEntries;
        this.pages = pages;
        this.wakeupEvents = wakeupEvents;
        this.wakeupWatermark = wakeupWatermark;
        this.latencyBound = latencyBound;
        this.cpus = cpus;
        this.keys = keys;
        this.rawAttr = rawAttr;
        this.maxSampleSize = maxSampleSize;
        this.overwritable = overwritable;
        this.listener = listener;
    }

    /**
     * A spec for the perf event array behind {@code map}, with the defaults above. The descriptor stays the
     * caller's; buffers opened from this spec duplicate it, so the map's slots live as long as the buffer.
     *
     * @throws IllegalArgumentException if the map is not a PERF_EVENT_ARRAY
     */
    public static PerfBufferSpec of(FileDescriptor map) {
        MapInfo info = MapInfo.of(map);
        if (info.type() != MapType.PERF_EVENT_ARRAY.value()) {
            throw new IllegalArgumentException("map '" + info.name() + "' is a " + info.mapType()
                    + ", not a PERF_EVENT_ARRAY; a perf buffer reads the map that bpf_perf_event_output() writes to");
        }
        return new PerfBufferSpec(map, info.name(), info.id(), info.maxEntries(), DEFAULT_PAGES, 0, -1,
                DEFAULT_LATENCY_BOUND, null, null, null, 0, false, PerfBufferListener.NONE);
    }

    /** A spec for a perf event array map of a loaded object. */
    public static PerfBufferSpec of(BpfMap map) {
        return of(map.fd());
    }

    /** Each ring's data area in pages; a power of two. */
    public PerfBufferSpec withPages(int pages) {
        if (pages <= 0 || Integer.bitCount(pages) != 1) {
            throw new IllegalArgumentException("pages per CPU must be a power of two, got " + pages);
        }
        if ((long) pages * Kernel.pageSize() > (1L << 30)) {
            throw new IllegalArgumentException("pages per CPU must give at most 1 GiB per ring, got " + pages);
        }
        return new PerfBufferSpec(map, mapName, mapId, maxEntries, pages, wakeupEvents, wakeupWatermark, latencyBound, cpus,
                keys, rawAttr, maxSampleSize, overwritable, listener).checkSampleFits();
    }

    /**
     * libbpf's perf_buffer settings: one wakeup per sample and no timed peek. Lowest latency per sample, at a
     * syscall and a wakeup per sample; the defaults batch instead.
     */
    public PerfBufferSpec withLibbpfDefaults() {
        return withWakeupEvents(1).withLatencyBound(Duration.ZERO);
    }

    /** Wake the reader every {@code n} samples (libbpf's default is 1). */
    public PerfBufferSpec withWakeupEvents(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("wakeup events must be positive, got " + n);
        }
        return new PerfBufferSpec(map, mapName, mapId, maxEntries, pages, n, 0, latencyBound, cpus, keys, rawAttr,
                maxSampleSize, overwritable, listener);
    }

    /** Wake the reader when {@code bytes} of records wait in a ring. */
    public PerfBufferSpec withWakeupWatermark(int bytes) {
        if (bytes <= 0 || bytes > (long) pages * Kernel.pageSize()) {
            throw new IllegalArgumentException("wakeup watermark must be 1.." + (long) pages * Kernel.pageSize()
                    + " bytes (the ring size), got " + bytes);
        }
        return new PerfBufferSpec(map, mapName, mapId, maxEntries, pages, 0, bytes, latencyBound, cpus, keys, rawAttr,
                maxSampleSize, overwritable, listener);
    }

    /**
     * Look at every ring at least this often, whatever the wakeup threshold, so no record waits longer;
     * {@link Duration#ZERO} relies on wakeups alone (then a record below the threshold waits for more).
     */
    public PerfBufferSpec withLatencyBound(Duration bound) {
        Objects.requireNonNull(bound, "bound");
        if (bound.isNegative()) {
            throw new IllegalArgumentException("latency bound must not be negative, got " + bound);
        }
        return new PerfBufferSpec(map, mapName, mapId, maxEntries, pages, wakeupEvents, wakeupWatermark, bound, cpus, keys,
                rawAttr, maxSampleSize, overwritable, listener);
    }

    /**
     * The raw variant (libbpf's perf_buffer__new_raw): open rings on exactly {@code cpus}, storing ring
     * {@code i} in map slot {@code keys[i]}, with the caller's {@code attr}. Every record then reaches
     * {@link #records()} with its header.
     */
    public PerfBufferSpec withRaw(PerfEventAttr attr, int[] cpus, int[] keys) {
        Objects.requireNonNull(attr, "attr");
        if (cpus.length == 0 || cpus.length != keys.length) {
            throw new IllegalArgumentException("the raw variant needs one map key per CPU, got " + cpus.length
                    + " CPUs and " + keys.length + " keys");
        }
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] < 0 || keys[i] >= maxEntries) {
                throw new IllegalArgumentException("map key " + keys[i] + " for CPU " + cpus[i] + " is outside map '"
                        + mapName + "' (max_entries " + maxEntries + ")");
            }
            if (cpus[i] < 0) {
                throw new IllegalArgumentException("negative CPU " + cpus[i]);
            }
        }
        return new PerfBufferSpec(map, mapName, mapId, maxEntries, pages, wakeupEvents, wakeupWatermark, latencyBound,
                cpus.clone(), keys.clone(), attr, maxSampleSize, overwritable, listener);
    }

    /**
     * Declares the largest sample the program writes, so a ring too small for it is refused here: the kernel
     * drops a sample larger than the ring without counting it as lost.
     */
    public PerfBufferSpec withMaxSampleSize(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("sample size must not be negative, got " + bytes);
        }
        return new PerfBufferSpec(map, mapName, mapId, maxEntries, pages, wakeupEvents, wakeupWatermark, latencyBound, cpus,
                keys, rawAttr, bytes, overwritable, listener).checkSampleFits();
    }

    /**
     * Overwritable rings for flight-recorder use: the kernel writes backward and overwrites the oldest records
     * instead of dropping new ones (nothing is ever lost or counted), and {@link PerfBuffer#snapshot} reads the
     * newest records on demand. Such rings are read only through {@link #open} and snapshots.
     */
    public PerfBufferSpec withOverwritable(boolean on) {
        return new PerfBufferSpec(map, mapName, mapId, maxEntries, pages, wakeupEvents, wakeupWatermark, latencyBound,
                cpus, keys, rawAttr, maxSampleSize, on, listener);
    }

    /** Tells {@code listener} when buffers made from this spec open and close (meters bind there). */
    public PerfBufferSpec withListener(PerfBufferListener listener) {
        return new PerfBufferSpec(map, mapName, mapId, maxEntries, pages, wakeupEvents, wakeupWatermark, latencyBound,
                cpus, keys, rawAttr, maxSampleSize, overwritable, Objects.requireNonNull(listener, "listener"));
    }

    private PerfBufferSpec checkSampleFits() {
        long record = PerfEventHeader.BYTES + Integer.BYTES + (long) maxSampleSize;
        long ring = (long) pages * Kernel.pageSize();
        if (maxSampleSize > 0 && (record > ring || record > 0xffff)) {
            throw new IllegalArgumentException("a " + maxSampleSize + "-byte sample needs a " + record
                    + "-byte record, which does not fit " + (record > 0xffff ? "the 16-bit record size" : "a ring of "
                    + pages + " pages (" + ring + " bytes)") + "; the kernel would drop every such sample uncounted");
        }
        return this;
    }

    /**
     * Pauses output of the buffer open on this map, from any thread: its map slots are cleared, so the program's
     * samples go nowhere (and are not counted as lost) while the subscription and its rings stay. Returns false
     * when no buffer is open on the map.
     */
    public boolean pause() {
        return onActive(PerfBuffer::pause);
    }

    /** Resumes output that {@link #pause()} stopped. Returns false when no buffer is open on the map. */
    public boolean resume() {
        return onActive(PerfBuffer::resume);
    }

    /**
     * Completes the stream subscribed on this map, from any thread: output stops, the records still in the
     * rings are emitted as demand allows, then onComplete. Returns false when no stream is open on the map.
     */
    public boolean complete() {
        return onActive(PerfBuffer::requestFinish);
    }

    private boolean onActive(java.util.function.Consumer<PerfBuffer> action) {
        PerfBuffer active = OpenBuffers.of(mapId);
        if (active == null) {
            return false;
        }
        action.accept(active);
        return true;
    }

    PerfBufferListener listener() {
        return listener;
    }

    boolean isOverwritable() {
        return overwritable;
    }

    /** The map's name, used for the poller thread's name and in errors. */
    public String mapName() {
        return mapName;
    }

    /** The map's kernel id; one buffer per map may be open at a time. */
    int mapId() {
        return mapId;
    }

    FileDescriptor map() {
        return map;
    }

    public int pages() {
        return pages;
    }

    public Duration latencyBound() {
        return latencyBound;
    }

    boolean isRaw() {
        return rawAttr != null;
    }

    /** The CPUs to open rings on: the raw variant's list, or the online CPUs below the map's max_entries. */
    int[] cpus() {
        return cpus != null ? cpus.clone() : CpuSet.online().below(maxEntries).toArray();
    }

    /** The map key of each CPU's ring. */
    int[] keys(int[] openCpus) {
        return keys != null ? keys.clone() : openCpus.clone();
    }

    /** The perf_event_attr each ring is opened with. */
    PerfEventAttr attr() {
        if (rawAttr != null) {
            return rawAttr;
        }
        PerfEventAttr attr = PerfEventAttr.bpfOutput(1);
        if (wakeupEvents > 0) {
            attr.wakeupEvents(wakeupEvents);
        } else {
            int ring = pages * Kernel.pageSize();
            attr.wakeupWatermark(wakeupWatermark > 0 ? wakeupWatermark : Math.max(1, ring / 4));
        }
        return attr.writeBackward(overwritable);
    }

    /** Every event: samples and lost counts, on the poller thread. See {@link PerfFlux}. */
    public Flux<PerfEvent> events() {
        return new PerfFlux<>(this, PerfFlux.Emit.events());
    }

    /** Samples only; lost counts still reach {@link PerfBuffer#counters()} and the meters. */
    public Flux<PerfEvent.Sample> samples() {
        return new PerfFlux<>(this, PerfFlux.Emit.samples());
    }

    /** Lost counts only; samples are consumed and counted without being emitted. */
    public Flux<PerfEvent.Lost> lost() {
        return new PerfFlux<>(this, PerfFlux.Emit.lostOnly());
    }

    /**
     * Samples decoded in place: {@code decoder} reads each sample from ring memory before the record is
     * released, so no array is allocated per sample. Lost counts are counted, not emitted.
     */
    public <T> Flux<T> decode(RecordDecoder<T> decoder) {
        return new PerfFlux<>(this, PerfFlux.Emit.decoded(decoder, null));
    }

    /** Samples decoded in place, and lost counts turned into elements by {@code lost}. */
    public <T> Flux<T> decode(RecordDecoder<T> decoder, LostDecoder<T> lost) {
        return new PerfFlux<>(this, PerfFlux.Emit.decoded(decoder, Objects.requireNonNull(lost, "lost")));
    }

    /** Every record with its header (meant for the raw variant, but works for any spec). */
    public Flux<PerfRecord> records() {
        return new PerfFlux<>(this, PerfFlux.Emit.records());
    }

    /**
     * Opens the rings now for blocking use (libbpf's perf_buffer__new): samples and lost counts go to
     * {@code handler} from {@link PerfBuffer#poll} and the consume methods, on the calling thread.
     */
    public PerfBuffer open(RecordHandler handler) {
        return PerfBuffer.open(this, Objects.requireNonNull(handler, "handler"), null, null);
    }

    /** Opens the rings now for blocking use with every record whole (libbpf's perf_buffer__new_raw). */
    public PerfBuffer openRaw(RawRecordHandler handler) {
        return PerfBuffer.open(this, null, Objects.requireNonNull(handler, "handler"), null);
    }

    @Override
    public String toString() {
        return "PerfBufferSpec{map=" + mapName + ", pages=" + pages + ", " + attr() + ", latencyBound=" + latencyBound
                + (cpus == null ? "" : ", cpus=" + Arrays.toString(cpus) + ", keys=" + Arrays.toString(keys)) + "}";
    }
}
