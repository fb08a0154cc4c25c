package io.reactorbpf.spring.boot;

import io.reactorbpf.perf.PerfRings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The health of the BPF objects and streams, as {@code reactorbpf} in {@code /actuator/health}: per object how
 * many programs are loaded and attached, per stream whether it runs, its rings, subscribers, samples, losses,
 * drops, and its recent loss rate (lost / (delivered + lost) since the previous health check). DOWN when a stream
 * ended with an error, which the details name; UP otherwise. Thread-safe.
 */
final class BpfHealthIndicator implements HealthIndicator {

    private final BpfObjectLoader loader;
    private final ObjectProvider<BpfEventStream> streams;
    /** What each stream's rings had counted at the previous check; guarded by itself. */
    private final Map<BpfEventStream, long[]> previous = new IdentityHashMap<>();

    BpfHealthIndicator(BpfObjectLoader loader, ObjectProvider<BpfEventStream> streams) {
        this.loader = loader;
        this.streams = streams;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up();
        Map<String, Object> objectDetails = new LinkedHashMap<>();
        loader.loaded().forEach((name, loaded) -> objectDetails.put(name, Map.of(
                "programs", loaded.object().programs().size(),
                "attached", loaded.links().stream().filter(l -> !l.isClosed()).count())));
        Map<String, Object> streamDetails = new LinkedHashMap<>();
        streams.orderedStream().forEach(stream -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("type", stream.type().name());
            d.put("live", stream.isLive());
            PerfRings rings = stream.rings().orElse(null);
            d.put("rings", rings == null ? 0 : rings.rings().size());
            d.put("subscribers", stream.subscribers());
            long samples = rings == null ? 0 : rings.samples();
            long lost = rings == null ? 0 : rings.lost();
            d.put("samples", samples);
            d.put("lost", lost);
            d.put("dropped", stream.dropped());
            d.put("recentLossRate", recentLossRate(stream, samples, lost));
            stream.error().ifPresent(e -> {
                d.put("error", BpfPropertyException.oneLine(e));
                health.down();
            });
            streamDetails.put(stream.object() + "." + stream.map(), d);
        });
        return health.withDetail("objects", objectDetails).withDetail("streams", streamDetails).build();
    }

    /** Lost over delivered plus lost since the previous check; 0 when nothing arrived. */
    private double recentLossRate(BpfEventStream stream, long samples, long lost) {
        long[] before;
        synchronized (previous) {
            before = previous.put(stream, new long[] {samples, lost});
        }
        // a restarted stream counts from zero again
        long ds = before == null || samples < before[0] ? samples : samples - before[0];
        long dl = before == null || lost < before[1] ? lost : lost - before[1];
        return ds + dl == 0 ? 0.0 : (double) dl / (ds + dl);
    }
}
