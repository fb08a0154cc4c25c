package io.reactorbpf.spring.boot;

import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.perf.PerfBufferClosedException;
import io.reactorbpf.perf.PerfEvent;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reactorbpf health indicator: UP with what is attached and streaming, DOWN once a stream failed. */
@KernelTest
class BpfHealthTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReactorBpfAutoConfiguration.class,
                    BpfHealthAutoConfiguration.class))
            .withPropertyValues(Execs.PROPERTIES);

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(Health health, String group, String name) {
        return (Map<String, Object>) ((Map<String, Object>) health.getDetails().get(group)).get(name);
    }

    @Test
    void runningStreamsAreUpWithTheirProgramsAttachedRingsOpenAndNoRecentLoss() {
        runner.run(context -> {
            BpfEventStream stream = context.getBean("execs.perf_events", BpfEventStream.class);
            Disposable execs = Execs.every20ms();
            try {
                stream.events().ofType(PerfEvent.Sample.class).take(3).blockLast(Duration.ofSeconds(15));
            } finally {
                execs.dispose();
            }

            // the rings count a pass's samples when the pass ends, which may be after the subscriber has the third
            HealthIndicator indicator = context.getBean("reactorbpfHealthIndicator", HealthIndicator.class);
            Health health = indicator.health();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while ((Long) details(health, "streams", "execs.perf_events").get("samples") < 3
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
                health = indicator.health();
            }

            assertEquals(Status.UP, health.getStatus());
            assertEquals(Map.of("programs", 1, "attached", 1L), details(health, "objects", "execs"));
            Map<String, Object> perf = details(health, "streams", "execs.perf_events");
            assertEquals(true, perf.get("live"));
            assertEquals("PERF_EVENT_ARRAY", perf.get("type"));
            assertTrue((Integer) perf.get("rings") >= 1, perf.toString());
            assertTrue((Long) perf.get("samples") >= 3, perf.toString());
            assertEquals(0.0, perf.get("recentLossRate"));
            assertEquals("RINGBUF", details(health, "streams", "execs.ring_events").get("type"));
        });
    }

    @Test
    void aStreamThatEndedWithAnErrorIsDownAndNamesTheError() {
        runner.run(context -> {
            BpfEventStream stream = context.getBean("execs.perf_events", BpfEventStream.class);
            CountDownLatch failed = new CountDownLatch(1);
            AtomicReference<Throwable> error = new AtomicReference<>();
            stream.events().subscribe(e -> { }, e -> {
                error.set(e);
                failed.countDown();
            });

            // closing the object under the live stream ends it with PerfBufferClosedException
            context.getBean("execs", BpfObject.class).close();
            assertTrue(failed.await(10, TimeUnit.SECONDS), "the subscriber saw the stream fail");
            assertInstanceOf(PerfBufferClosedException.class, error.get());

            Health health = context.getBean("reactorbpfHealthIndicator", HealthIndicator.class).health();
            assertEquals(Status.DOWN, health.getStatus());
            Map<String, Object> perf = details(health, "streams", "execs.perf_events");
            assertEquals(false, perf.get("live"));
            assertEquals(BpfPropertyException.oneLine(error.get()), perf.get("error"));
            assertEquals(Map.of("programs", 1, "attached", 0L), details(health, "objects", "execs"));
        });
    }
}
