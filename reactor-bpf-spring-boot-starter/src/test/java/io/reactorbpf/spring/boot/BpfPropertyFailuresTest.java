package io.reactorbpf.spring.boot;

import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.perf.PerfStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.Disposable;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each kind of bad {@code reactorbpf.*} property fails the start with one line that names the property and says
 * what is wrong with it, as {@link BpfFailureAnalyzer} reports it.
 */
@KernelTest
class BpfPropertyFailuresTest {

    private static final String EXECS = "reactorbpf.objects.execs.";

    /** The failure report of a context started with the execs object and {@code properties} on top. */
    private static FailureAnalysis startWith(String... properties) {
        return startWith(new ApplicationContextRunner(), properties);
    }

    private static FailureAnalysis startWith(ApplicationContextRunner runner, String... properties) {
        AtomicReference<FailureAnalysis> analysis = new AtomicReference<>();
        runner.withConfiguration(AutoConfigurations.of(ReactorBpfAutoConfiguration.class))
                .withPropertyValues(Execs.PROPERTIES)
                .withPropertyValues(properties)
                .run(context -> {
                    Throwable failure = context.getStartupFailure();
                    assertNotNull(failure, "the context started");
                    analysis.set(new BpfFailureAnalyzer().analyze(failure));
                });
        assertNotNull(analysis.get(), "the failure is not a BpfPropertyException");
        assertFalse(analysis.get().getDescription().contains("\n"), analysis.get().getDescription());
        return analysis.get();
    }

    @Test
    void aMissingClassPathResourceNamesTheLocation() {
        assertEquals(EXECS + "location: no class path resource bpf/nope.bpf.o",
                startWith(EXECS + "location=classpath:bpf/nope.bpf.o").getDescription());
    }

    @Test
    void aMissingFileNamesTheLocation() {
        assertEquals(EXECS + "location: no file /nonexistent/execs.bpf.o",
                startWith(EXECS + "location=/nonexistent/execs.bpf.o").getDescription());
    }

    @Test
    void anUnknownGlobalNamesItsPropertyAndTheGlobalsTheObjectHas() {
        assertEquals(EXECS + "globals.target_uid: object 'execs' has no global variable 'target_uid'; it has"
                + " [target_ppid]", startWith(EXECS + "globals.target_uid=0").getDescription());
    }

    @Test
    void aGlobalValueThatDoesNotFitNamesItsPropertyAndTheRange() {
        String description = startWith(EXECS + "globals.target_ppid=-1").getDescription();
        assertTrue(description.startsWith(EXECS + "globals.target_ppid: variable 'target_ppid'")
                && description.contains("0 to 4294967295"), description);
    }

    @Test
    void anUnknownMapNamesItsStreamAndTheMapsTheObjectHas() {
        String description = startWith(EXECS + "streams.events.subscriber-buffer=8").getDescription();
        assertTrue(description.startsWith(EXECS + "streams.events: object 'execs' has no map 'events'; it has")
                && description.contains("perf_events"), description);
    }

    @Test
    void aMapThatCarriesNoEventsIsRefusedAsAStream() {
        assertEquals(EXECS + "streams.seen: map 'seen' is of type ARRAY; only PERF_EVENT_ARRAY and RINGBUF maps"
                + " stream events", startWith(EXECS + "streams.seen.subscriber-buffer=8").getDescription());
    }

    @Test
    void aWakeupForARingBufferNamesTheWakeup() {
        assertTrue(startWith(EXECS + "streams.ring_events.wakeup=events:8").getDescription()
                .startsWith(EXECS + "streams.ring_events.wakeup: map 'ring_events' is a ring buffer"));
    }

    @Test
    void ringOptionsThatDoNotFitTogetherNameTheStream() {
        String description = startWith(EXECS + "streams.perf_events.wakeup=watermark:1MB").getDescription();
        assertTrue(description.startsWith(EXECS + "streams.perf_events: wakeup watermark must be"), description);
    }

    @Test
    void aVerifierRejectionNamesTheObjectsLocationAndTheRefusalAndShowsTheLog() {
        FailureAnalysis analysis = startWith("reactorbpf.objects.rejected.location=classpath:bpf/rejected.bpf.o");
        assertEquals("reactorbpf.objects.rejected.location: program 'unchecked' in section"
                + " 'tracepoint/syscalls/sys_enter_getpgid' was rejected: EACCES"
                + " (verifier: R0 invalid mem access 'map_value_or_null')", analysis.getDescription());
        assertTrue(analysis.getAction().contains("R0 invalid mem access 'map_value_or_null'"), analysis.getAction());
    }

    /** A bean of the application that reads the map itself: a map's slots serve one reader at a time. */
    @Configuration(proxyBeanMethods = false)
    static class OtherReader {
        @Bean(destroyMethod = "dispose")
        Disposable reader(@Qualifier("execs") BpfObject execs) {
            return PerfStream.events(execs.map("perf_events")).subscribe();
        }
    }

    @Test
    void ringsThatCannotOpenAtTheStartNameTheStream() {
        FailureAnalysis analysis = startWith(new ApplicationContextRunner().withUserConfiguration(OtherReader.class));
        assertTrue(analysis.getDescription().startsWith(EXECS + "streams.perf_events: map 'perf_events' already has"
                + " an open reader"), analysis.getDescription());
        assertTrue(analysis.getAction().contains("BpfEventStream execs.perf_events"), analysis.getAction());
    }
}
