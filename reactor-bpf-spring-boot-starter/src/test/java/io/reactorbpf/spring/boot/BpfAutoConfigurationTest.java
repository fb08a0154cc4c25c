package io.reactorbpf.spring.boot;

import io.reactorbpf.core.BpfException;
import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.core.sys.Kernel;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.perf.PerfEvent;
import io.reactorbpf.perf.PerfStream;
import io.reactorbpf.perf.RingBufStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.Disposable;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The auto-configuration over the committed execs object: its beans, their events, their end. */
@KernelTest
class BpfAutoConfigurationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReactorBpfAutoConfiguration.class))
            .withPropertyValues(Execs.PROPERTIES);

    @Test
    void theObjectIsABeanNamedAfterItLoadedWithItsGlobalsAndAttached() {
        runner.run(context -> {
            BpfObject execs = context.getBean("execs", BpfObject.class);
            assertEquals(ProcessHandle.current().pid(), execs.variable("target_ppid").getLong());
            assertEquals(1, context.getBean(BpfObjectLoader.class).loaded().get("execs").links().size());
        });
    }

    @Test
    void eachStreamedMapIsAStreamBeanOfTheKindItsTypeCallsFor() {
        runner.run(context -> {
            Map<String, BpfEventStream> streams = context.getBeansOfType(BpfEventStream.class);
            assertEquals(2, streams.size(), streams.toString());
            BpfEventStream perf = streams.get("execs.perf_events");
            BpfEventStream ring = streams.get("execs.ring_events");
            assertEquals(MapType.PERF_EVENT_ARRAY, perf.type());
            assertInstanceOf(PerfStream.class, perf.source());
            assertEquals(MapType.RINGBUF, ring.type());
            assertInstanceOf(RingBufStream.class, ring.source());
            assertEquals(16 * Kernel.pageSize(),
                    context.getBean("execs", BpfObject.class).map("ring_events").maxEntries());
        });
    }

    @Test
    void bothStreamsDeliverTheExecsTheTestMakes() {
        runner.run(context -> {
            Disposable execs = Execs.every20ms();
            try {
                for (String name : new String[] {"execs.perf_events", "execs.ring_events"}) {
                    PerfEvent.Sample exec = context.getBean(name, BpfEventStream.class).events()
                            .ofType(PerfEvent.Sample.class)
                            .filter(s -> Execs.file(s).equals("/bin/true"))
                            .blockFirst(TIMEOUT);
                    assertEquals(ProcessHandle.current().pid(), Execs.ppid(exec), name);
                }
            } finally {
                execs.dispose();
            }
        });
    }

    @Test
    void closingTheContextCompletesTheSubscribersWhileTheObjectIsOpenAndThenClosesIt() throws Exception {
        AtomicReference<BpfObject> object = new AtomicReference<>();
        AtomicReference<BpfEventStream> stream = new AtomicReference<>();
        CountDownLatch completed = new CountDownLatch(1);
        AtomicLong readAtCompletion = new AtomicLong();
        runner.run(context -> {
            object.set(context.getBean("execs", BpfObject.class));
            stream.set(context.getBean("execs.perf_events", BpfEventStream.class));
            assertTrue(stream.get().isLive());
            stream.get().events().subscribe(e -> { }, e -> { }, () -> {
                // the object's maps are still open when the subscriber completes
                readAtCompletion.set(object.get().variable("target_ppid").getLong());
                completed.countDown();
            });
        });
        assertTrue(completed.await(1, TimeUnit.SECONDS), "the subscriber completed when the context closed");
        assertEquals(ProcessHandle.current().pid(), readAtCompletion.get());
        assertTrue(stream.get().error().isEmpty(), "the stream completed rather than failed");
        assertFalse(stream.get().isLive());
        BpfException closed = assertThrows(BpfException.class, () -> object.get().attachAll());
        assertTrue(closed.getMessage().contains("is closed"), closed.getMessage());
    }
}
