package io.reactorbpf.perf.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.reactorbpf.perf.PerfBufferListener;
import io.reactorbpf.perf.PerfRingCounters;
import io.reactorbpf.perf.PerfRings;
import io.reactorbpf.perf.RingBuf;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters for perf buffers and streams, bound with
 * {@code PerfBufferOptions.builder().listener(PerfBufferMeters.of(registry))}, and for BPF ring buffer streams,
 * with {@code RingBufOptions.defaults().withListener(PerfBufferMeters.of(registry))}: a ring buffer's one ring has
 * the cpu tag {@code all}, and its lost counts are those its programs counted (the kernel keeps none). Meters live as long as the
 * registry; their counts add up over every buffer opened on a map, so a resubscription continues the totals.
 * Meters are identified by the map's name: give each listener of maps that share a name (the {@code events} maps of
 * two objects) tags of its own with {@link #of(MeterRegistry, Iterable)}.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>meaning</th></tr>
 * <tr><td>reactor.bpf.perf.samples</td><td>counter</td><td>map, cpu</td><td>samples delivered from the CPU's ring</td></tr>
 * <tr><td>reactor.bpf.perf.lost</td><td>counter</td><td>map, cpu</td><td>samples the kernel dropped on that CPU</td></tr>
 * <tr><td>reactor.bpf.perf.buffer.samples</td><td>counter</td><td>map</td><td>samples delivered from all rings</td></tr>
 * <tr><td>reactor.bpf.perf.buffer.lost</td><td>counter</td><td>map</td><td>samples dropped in all rings</td></tr>
 * <tr><td>reactor.bpf.perf.ring.backlog</td><td>gauge, bytes</td><td>map, cpu</td><td>bytes waiting in the ring when
 * it was last drained</td></tr>
 * </table>
 *
 * <p>Threading: meters read counters that the poller thread publishes with opaque writes; reading them never
 * touches ring memory, so a scrape cannot race the poller or an unmapped ring.
 *
 * @since 0.1
 */
public final class PerfBufferMeters implements PerfBufferListener {

    private final MeterRegistry registry;
    private final Tags tags;
    private final Map<String, MapTotals> maps = new ConcurrentHashMap<>();

    private PerfBufferMeters(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
    }

    /**
     * A listener that registers the meters above in {@code registry}. Give it to the options of every buffer or
     * stream to be metered; one listener serves many maps.
     *
     * @param registry where the meters are registered, still owned by the caller
     * @return the listener
     */
    public static PerfBufferMeters of(MeterRegistry registry) {
        return new PerfBufferMeters(registry, Tags.empty());
    }

    /**
     * A listener that registers the meters above in {@code registry}, each with {@code tags} as well as its own
     * (e.g. {@code object=execsnoop}, so that maps of one name in two objects keep meters of their own).
     *
     * @param registry where the meters are registered, still owned by the caller
     * @param tags     added to every meter this listener registers
     * @return the listener
     */
    public static PerfBufferMeters of(MeterRegistry registry, Iterable<Tag> tags) {
        return new PerfBufferMeters(registry, Tags.of(tags));
    }

    @Override
    public void opened(PerfRings rings) {
        maps.computeIfAbsent(rings.map(), MapTotals::new).attach(rings);
    }

    @Override
    public void closed(PerfRings rings) {
        MapTotals totals = maps.get(rings.map());
        if (totals != null) {
            totals.detach(rings);
        }
    }

    /** One map's running totals: what closed rings counted plus what the open ones count now. */
    private final class MapTotals {
        private final String map;
        private final Map<Integer, CpuTotals> cpus = new ConcurrentHashMap<>();
        private PerfRings current;

        MapTotals(String map) {
            this.map = map;
            FunctionCounter.builder("reactor.bpf.perf.buffer.samples", this, t -> t.sum(CpuTotals::samples))
                    .tags(tags).tag("map", map).description("samples delivered from all rings").register(registry);
            FunctionCounter.builder("reactor.bpf.perf.buffer.lost", this, t -> t.sum(CpuTotals::lost))
                    .tags(tags).tag("map", map).description("samples the kernel dropped in all rings").register(registry);
        }

        /** Follows a new set of rings; a CPU missing from it keeps the counts its closed ring made. */
        synchronized void attach(PerfRings rings) {
            current = rings;
            Set<Integer> open = new HashSet<>();
            for (PerfRings.Ring r : rings.rings()) {
                open.add(r.cpu());
                cpus.computeIfAbsent(r.cpu(), this::cpuTotals).attach(r.counters());
            }
            cpus.forEach((cpu, totals) -> {
                if (!open.contains(cpu)) {
                    totals.detach();
                }
            });
        }

        synchronized void detach(PerfRings rings) {
            if (current == rings) {
                current = null;
                cpus.values().forEach(CpuTotals::detach);
            }
        }

        private long sum(ToLongFunction<CpuTotals> f) {
            long n = 0;
            for (CpuTotals c : cpus.values()) {
                n += f.applyAsLong(c);
            }
            return n;
        }

        private CpuTotals cpuTotals(int cpu) {
            CpuTotals t = new CpuTotals();
            // a BPF ring buffer has one ring for every CPU
            String c = cpu == RingBuf.NO_CPU ? "all" : Integer.toString(cpu);
            Tags cpuTags = tags.and("map", map, "cpu", c);
            FunctionCounter.builder("reactor.bpf.perf.samples", t, CpuTotals::samples)
                    .tags(cpuTags).description("samples delivered from the CPU's ring").register(registry);
            FunctionCounter.builder("reactor.bpf.perf.lost", t, CpuTotals::lost)
                    .tags(cpuTags).description("samples the kernel dropped on the CPU").register(registry);
            Gauge.builder("reactor.bpf.perf.ring.backlog", t, CpuTotals::backlog).baseUnit("bytes")
                    .tags(cpuTags).description("bytes waiting in the ring when it was last drained")
                    .register(registry);
            return t;
        }
    }

    /** One CPU's totals over the buffers that had a ring there. */
    private static final class CpuTotals {
        private volatile long closedSamples;
        private volatile long closedLost;
        private volatile PerfRingCounters live;

        /** Follows a new ring on this CPU (a new buffer, or the CPU back online), keeping the old ring's counts. */
        synchronized void attach(PerfRingCounters counters) {
            if (live != counters) {
                detach();
                live = counters;
            }
        }

        synchronized void detach() {
            PerfRingCounters c = live;
            if (c != null) {
                closedSamples += c.samples();
                closedLost += c.lost();
                live = null;
            }
        }

        synchronized long samples() {
            PerfRingCounters c = live;
            return closedSamples + (c == null ? 0 : c.samples());
        }

        synchronized long lost() {
            PerfRingCounters c = live;
            return closedLost + (c == null ? 0 : c.lost());
        }

        double backlog() {
            PerfRingCounters c = live;
            return c == null ? 0 : c.backlog();
        }
    }
}
