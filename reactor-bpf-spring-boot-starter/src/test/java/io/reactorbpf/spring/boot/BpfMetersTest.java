package io.reactorbpf.spring.boot;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.perf.PerfEvent;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.Disposable;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With a MeterRegistry bean, every stream's meters are bound, tagged with its object and map. */
@KernelTest
class BpfMetersTest {

    private static final int EXECS = 20;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReactorBpfAutoConfiguration.class,
                    BpfMetricsAutoConfiguration.class))
            .withPropertyValues(Execs.PROPERTIES);

    @Test
    void theRingsMetersCountWhatBothStreamsDeliveredAndTheSubscriberMetersFollowTheSubscribers() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            CountDownLatch trues = new CountDownLatch(2 * EXECS);
            AtomicLong perfSamples = new AtomicLong();
            AtomicLong ringSamples = new AtomicLong();
            Disposable perf = subscribe(context.getBean("execs.perf_events", BpfEventStream.class), trues, perfSamples);
            Disposable ring = subscribe(context.getBean("execs.ring_events", BpfEventStream.class), trues, ringSamples);
            try {
                assertEquals(1.0, registry.get("reactor.bpf.stream.subscribers")
                        .tags("object", "execs", "map", "perf_events").gauge().value());
                Execs.run(EXECS);
                assertTrue(trues.await(15, TimeUnit.SECONDS), "both streams delivered every exec of /bin/true");

                // a sole subscriber that keeps up receives every sample the rings handed out, and nothing else; the
                // rings count a pass's samples when the pass ends, so the two agree once the pass in flight has
                assertAgree(perfSamples::get, () -> registry.get("reactor.bpf.perf.buffer.samples")
                        .tags("object", "execs", "map", "perf_events").functionCounter().count());
                assertAgree(ringSamples::get, () -> registry.get("reactor.bpf.perf.samples")
                        .tags("object", "execs", "map", "ring_events", "cpu", "all").functionCounter().count());
                assertEquals(0.0, registry.get("reactor.bpf.perf.buffer.lost")
                        .tags("object", "execs", "map", "perf_events").functionCounter().count());
                assertEquals(0.0, registry.get("reactor.bpf.stream.dropped")
                        .tags("object", "execs", "map", "ring_events").functionCounter().count());
            } finally {
                perf.dispose();
                ring.dispose();
            }
            assertEquals(0.0, registry.get("reactor.bpf.stream.subscribers")
                    .tags("object", "execs", "map", "perf_events").gauge().value());
        });
    }

    @Test
    void withoutAMeterRegistryNoMetersAreBound() {
        runner.run(context -> assertFalse(context.containsBean("bpfStreamMeters")));
    }

    /** Asserts that {@code delivered} and {@code counted} agree, waiting up to 5 s for a pass in flight to end. */
    private static void assertAgree(java.util.function.LongSupplier delivered,
                                    java.util.function.DoubleSupplier counted) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(5).toNanos();
        while (delivered.getAsLong() != (long) counted.getAsDouble() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals((double) delivered.getAsLong(), counted.getAsDouble());
    }

    /** Counts every sample of {@code stream}, and each exec of /bin/true on {@code trues}. */
    private static Disposable subscribe(BpfEventStream stream, CountDownLatch trues, AtomicLong samples) {
        return stream.events().ofType(PerfEvent.Sample.class).subscribe(s -> {
            samples.incrementAndGet();
            if (Execs.file(s).equals("/bin/true")) {
                trues.countDown();
            }
        });
    }
}
