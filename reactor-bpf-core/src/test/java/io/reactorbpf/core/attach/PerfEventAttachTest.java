package io.reactorbpf.core.attach;

import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.internal.sys.Native;
import io.reactorbpf.core.sys.PerfEventAttr;
import io.reactorbpf.core.sys.ProgType;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@KernelTest
class PerfEventAttachTest {

    private static PerfEventAttr cpuClockAt1000Hz() {
        return PerfEventAttr.of(PerfEventAttr.TYPE_SOFTWARE, PerfEventAttr.COUNT_SW_CPU_CLOCK).sampleFreq(1000);
    }

    @Test
    void cpuClockSamplingOnEveryCpuRunsTheProgramWhileThisThreadIsBusy() {
        try (CountingProgram counter = CountingProgram.load(ProgType.PERF_EVENT, CountingProgram.ANY_PROCESS,
                UnaryOperator.identity());
             BpfLink link = PerfEventAttach.attachEachCpu(counter.program(), cpuClockAt1000Hz())) {
            assertEquals(CpuSet.online().size(), link.parts().size());
            assertTrue(counter.awaitAbove(0, Duration.ofSeconds(5)) > 0, "no cpu-clock sample ran the program");
        }
    }

    @Test
    void samplingOneThreadOnAnyCpuRunsTheProgramForIt() {
        int tid = Native.gettid();
        try (CountingProgram counter = CountingProgram.forThisProcess(ProgType.PERF_EVENT);
             BpfLink link = PerfEventAttach.attach(counter.program(), cpuClockAt1000Hz(), tid, -1)) {
            assertTrue(counter.awaitAbove(0, Duration.ofSeconds(5)) > 0, "no cpu-clock sample of this thread");
            assertEquals("perf_event type 1 config 0 pid " + tid, link.describe());
        }
    }

    @Test
    void closingTheCompositeLinkClosesEveryCpusEvent() {
        try (CountingProgram counter = CountingProgram.load(ProgType.PERF_EVENT, CountingProgram.ANY_PROCESS,
                UnaryOperator.identity())) {
            BpfLink link = PerfEventAttach.attachEachCpu(counter.program(), cpuClockAt1000Hz());
            link.close();
            for (BpfLink part : link.parts()) {
                assertTrue(part.isClosed() && part.perfEventFd().orElseThrow().isClosed(), part.describe());
            }
        }
    }
}
