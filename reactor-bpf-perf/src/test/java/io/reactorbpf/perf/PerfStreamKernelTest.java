package io.reactorbpf.perf;

import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.testing.CpuAffinity;
import io.reactorbpf.core.testing.GetpgidLoad;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.core.testing.OpenDescriptors;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@KernelTest
class PerfStreamKernelTest {


    @Test
    void everySampleArrivesOnceWithItsPayload() {
        int calls = 2_000;
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("exact", 16).attachWithLink()) {
            BitSet seen = new BitSet();
            StepVerifier.create(PerfStream.events(sampler.events()).take(calls))
                    .then(() -> GetpgidSampler.trigger(calls))
                    .thenConsumeWhile(e -> {
                        PerfEvent.Sample s = (PerfEvent.Sample) e;
                        assertEquals(20, s.size());
                        seen.set((int) java.nio.ByteBuffer.wrap(s.data()).order(java.nio.ByteOrder.nativeOrder()).getLong(0));
                        return true;
                    })
                    .expectComplete()
                    .verify(Duration.ofSeconds(20));
            assertEquals(calls, seen.cardinality());
            assertEquals(calls, seen.nextClearBit(0));
            assertEquals(calls, sampler.produced());
        }
    }

    @Test
    void samplesFromEveryOnlineCpuArriveTaggedWithThatCpu() throws Exception {
        int perCpu = 500;
        int[] cpus = CpuSet.online().toArray();
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("percpu", 16).attachWithLink()) {
            long[] byCpu = new long[CpuSet.possible().span()];
            StepVerifier.create(PerfStream.samples(sampler.events(), PerfBufferOptions.defaults())
                            .take((long) perCpu * cpus.length))
                    .then(() -> {
                        for (int cpu : cpus) {
                            CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(perCpu));
                        }
                    })
                    .thenConsumeWhile(s -> {
                        byCpu[s.cpu()]++;
                        return true;
                    })
                    .expectComplete()
                    .verify(Duration.ofSeconds(20));
            for (int cpu : cpus) {
                assertEquals(perCpu, byCpu[cpu], "samples from CPU " + cpu);
            }
        }
    }

    @Test
    void nothingArrivesWithoutDemandAndLossesArriveWhenItReturns() throws Exception {
        int cpu = CpuSet.online().toArray()[0];
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("nodemand", 512).attachWithLink()) {
            // one page per ring: 200 samples of 512 bytes overflow it while nobody asks
            PerfBufferOptions options = PerfBufferOptions.builder().pages(1).build();
            Tally tally = new Tally(0);
            PerfStream.events(sampler.events(), options).subscribe(tally);
            CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(200));
            tally.assertNothingFor(Duration.ofMillis(200));
            tally.request(Long.MAX_VALUE);
            tally.awaitConservation(sampler, cpu);
            tally.dispose();
            assertTrue(tally.lost.get() > 0, "a one-page ring cannot hold 200 samples of 512 bytes");
            assertTrue(tally.lostSignals.get() > 0, "losses arrive as Lost signals");
        }
    }

    @Test
    void producedEqualsDeliveredPlusLostUnderOverloadWithASlowSubscriber() throws Exception {
        int calls = 20_000;
        int cpu = CpuSet.online().toArray()[0];
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("overload", 64).attachWithLink()) {
            PerfBufferOptions options = PerfBufferOptions.builder().pages(2).build();
            Tally tally = new Tally(Long.MAX_VALUE) {
                @Override
                protected void hookOnNext(PerfEvent e) {
                    super.hookOnNext(e);
                    if (delivered.get() % 64 == 0) {
                        spin(Duration.ofMillis(1));
                    }
                }
            };
            PerfStream.events(sampler.events(), options).subscribe(tally);
            CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(calls));
            tally.awaitConservation(sampler, cpu);
            tally.dispose();
            assertTrue(tally.lost.get() > 0, "a slow subscriber on small rings loses samples");
        }
    }

    /**
     * Counts what arrives. The kernel writes a LOST record lazily, just before the next record that fits, so
     * the conservation law produced == delivered + lost holds once one more sample has been written after
     * the overflow: {@link #awaitConservation} writes such samples until it holds.
     */
    static class Tally extends BaseSubscriber<PerfEvent> {
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong lost = new AtomicLong();
        final AtomicLong lostSignals = new AtomicLong();
        private final long initialDemand;

        Tally(long initialDemand) {
            this.initialDemand = initialDemand;
        }

        @Override
        protected void hookOnSubscribe(Subscription s) {
            if (initialDemand > 0) {
                s.request(initialDemand);
            }
        }

        @Override
        protected void hookOnNext(PerfEvent e) {
            if (e instanceof PerfEvent.Lost) {
                lost.addAndGet(((PerfEvent.Lost) e).count());
                lostSignals.incrementAndGet();
            } else {
                delivered.incrementAndGet();
            }
        }

        void assertNothingFor(Duration d) throws InterruptedException {
            Thread.sleep(d.toMillis());
            assertEquals(0, delivered.get() + lostSignals.get(), "signals without demand");
        }

        void awaitConservation(GetpgidSampler sampler, int cpu) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (delivered.get() + lost.get() != sampler.produced()) {
                assertTrue(System.nanoTime() < deadline, "produced " + sampler.produced() + " != delivered "
                        + delivered.get() + " + lost " + lost.get());
                CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(1));
                Thread.sleep(20);
            }
        }
    }

    @Test
    void cancelUnderHeavyLoadStopsThePollerPromptly() throws Exception {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("busy", 64).attachWithLink()) {
            AtomicLong delivered = new AtomicLong();
            try (GetpgidLoad load = GetpgidLoad.start("busy-load")) {
                reactor.core.Disposable d = PerfStream.events(sampler.events())
                        .subscribe(e -> delivered.incrementAndGet());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (delivered.get() < 10_000) {
                    assertTrue(System.nanoTime() < deadline, "samples flow under load");
                    Thread.onSpinWait();
                }
                long start = System.nanoTime();
                d.dispose();
                awaitQuiet();
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "the poller ended within 2 s");
                long after = delivered.get();
                GetpgidSampler.trigger(1000);
                assertEquals(after, delivered.get(), "nothing is delivered after cancel");
            }
        }
    }

    @Test
    void aSecondConcurrentSubscriberIsToldToShare() {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("unicast", 16).attachWithLink()) {
            PerfStream<PerfEvent> stream = PerfStream.events(sampler.events());
            StepVerifier.create(stream.take(1))
                    .then(() -> StepVerifier.create(PerfStream.events(sampler.events()))
                            .expectErrorSatisfies(e -> assertTrue(e.getMessage().contains("share()"), e.getMessage()))
                            .verify(Duration.ofSeconds(10)))
                    .then(() -> GetpgidSampler.trigger(1))
                    .expectNextCount(1)
                    .expectComplete()
                    .verify(Duration.ofSeconds(10));
        }
    }

    @Test
    void cancelWhileWaitingReturnsPromptlyAndReleasesEverything() throws Exception {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("cycles", 16).attachWithLink()) {
            PerfStream<PerfEvent> stream = PerfStream.events(sampler.events(), PerfBufferOptions.libbpfDefaults());
            // warm up so lazily created JVM descriptors and threads are not counted as leaks
            cycle(stream);
            awaitQuiet();
            Map<String, Long> fds = OpenDescriptors.kernelObjects();
            long rings = OpenDescriptors.perfMappings();
            int threads = Thread.activeCount();
            for (int i = 0; i < 1000; i++) {
                cycle(stream);
            }
            awaitQuiet();
            assertEquals(fds, OpenDescriptors.kernelObjects(), "open descriptors");
            assertEquals(rings, OpenDescriptors.perfMappings(), "perf ring mappings");
            assertTrue(Thread.activeCount() <= threads + 1, "threads");
        }
    }

    private static void cycle(PerfStream<PerfEvent> stream) {
        StepVerifier.create(stream)
                .expectSubscription()
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    /** Waits until no poller thread is alive: cancellation completes on the poller thread. */
    private static void awaitQuiet() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("perf-"))) {
            assertTrue(System.nanoTime() < deadline, "poller threads did not end");
            Thread.sleep(10);
        }
    }

    static void spin(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

}
