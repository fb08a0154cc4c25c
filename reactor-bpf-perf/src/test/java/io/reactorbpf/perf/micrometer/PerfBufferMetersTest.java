package io.reactorbpf.perf.micrometer;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.testing.CpuAffinity;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.core.testing.RingBufLostObject;
import io.reactorbpf.perf.PerfBufferOptions;
import io.reactorbpf.perf.PerfEvent;
import io.reactorbpf.perf.PerfStream;
import io.reactorbpf.perf.RingBufOptions;
import io.reactorbpf.perf.RingBufStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

@KernelTest
class PerfBufferMetersTest {

    @Test
    void aRingBufferStreamsSamplesAndTheLossesItsProgramsCountedAreMetered() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (RingBufLostObject rb = RingBufLostObject.load(64)) {
            RingBufStream<PerfEvent> stream = RingBufStream.events(rb.reserved(),
                    RingBufOptions.defaults().withListener(PerfBufferMeters.of(registry)));
            StepVerifier.create(stream, 0)
                    .then(() -> GetpgidSampler.trigger(10))
                    .thenRequest(Long.MAX_VALUE)
                    .then(stream::complete)
                    .thenConsumeWhile(e -> true)
                    .verifyComplete();
            long delivered = rb.reserveAttempts() - rb.reserveFailures();
            assertEquals(delivered, registry.get("reactor.bpf.perf.samples").tags("map", "reserved", "cpu", "all")
                    .functionCounter().count());
            assertEquals(rb.reserveFailures(), registry.get("reactor.bpf.perf.buffer.lost").tag("map", "reserved")
                    .functionCounter().count());
        }
    }

    @Test
    void deliveredSamplesAreCountedPerCpuAndPerBufferAcrossSubscriptions() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        int cpu = CpuSet.online().toArray()[0];
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("metered", 16).attachWithLink()) {
            PerfStream<PerfEvent.Sample> stream = PerfStream.samples(sampler.events(),
                    PerfBufferOptions.builder().listener(PerfBufferMeters.of(registry)).build());
            for (int round = 0; round < 2; round++) {
                StepVerifier.create(stream.take(40))
                        .then(() -> CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(40)))
                        .expectNextCount(40)
                        .verifyComplete();
            }
            assertEquals(80.0, registry.get("reactor.bpf.perf.buffer.samples").tag("map", "metered")
                    .functionCounter().count());
            assertEquals(80.0, registry.get("reactor.bpf.perf.samples").tags("map", "metered", "cpu",
                    Integer.toString(cpu)).functionCounter().count());
            assertEquals(0.0, registry.get("reactor.bpf.perf.buffer.lost").tag("map", "metered")
                    .functionCounter().count());
            assertNotNull(registry.get("reactor.bpf.perf.ring.backlog").tags("map", "metered", "cpu",
                    Integer.toString(cpu)).gauge());
        }
    }

    @Test
    void tagsOfItsOwnKeepTheMetersOfTwoMapsOfOneNameApart() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (GetpgidSampler a = GetpgidSampler.forThisProcess("twin", 16).attachWithLink();
             GetpgidSampler b = GetpgidSampler.forThisProcess("twin", 16).attachWithLink()) {
            PerfStream<PerfEvent.Sample> first = PerfStream.samples(a.events(), PerfBufferOptions.builder()
                    .listener(PerfBufferMeters.of(registry, Tags.of("object", "a"))).build());
            PerfStream<PerfEvent.Sample> second = PerfStream.samples(b.events(), PerfBufferOptions.builder()
                    .listener(PerfBufferMeters.of(registry, Tags.of("object", "b"))).build());
            StepVerifier.create(Flux.merge(first.take(10), second.take(10)))
                    .then(() -> GetpgidSampler.trigger(10))
                    .expectNextCount(20)
                    .verifyComplete();
            for (String object : List.of("a", "b")) {
                assertEquals(10.0, registry.get("reactor.bpf.perf.buffer.samples").tags("map", "twin", "object", object)
                        .functionCounter().count(), "object " + object);
            }
        }
    }
}
