package io.reactorbpf.core.attach;

import io.reactorbpf.core.sys.AttachType;
import io.reactorbpf.core.internal.sys.Native;
import io.reactorbpf.core.sys.PerfEventAttr;
import io.reactorbpf.core.sys.ProgType;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.core.testing.OpenDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Closing detaches: the counter stops, descriptors go back to the kernel, and nothing leaks over many cycles. */
@KernelTest
class LinkLifecycleTest {

    private static final int CALLS = 20;
    private static final int CYCLES = 200;

    @TempDir
    Path dir;

    /** Attaches, checks the program counts, closes twice, and checks it counts no more. */
    private static void assertCloseStopsCounting(CountingProgram counter, Function<CountingProgram, BpfLink> attach) {
        BpfLink link = attach.apply(counter);
        assertTrue(counter.countGetpgid(CALLS) >= CALLS, link.describe() + " did not count while attached");
        link.close();
        link.close();
        assertTrue(link.isClosed());
        assertEquals(0, counter.countGetpgid(CALLS), link.describe() + " counted after close");
    }

    @Test
    void closingATracepointLinkStopsCounting() {
        try (CountingProgram counter = CountingProgram.forThisProcess(ProgType.TRACEPOINT)) {
            assertCloseStopsCounting(counter, c -> Tracepoint.attach(c.program(), "syscalls", "sys_enter_getpgid"));
        }
    }

    @Test
    void closingASetBpfTracepointStopsCounting() {
        try (CountingProgram counter = CountingProgram.forThisProcess(ProgType.TRACEPOINT)) {
            assertCloseStopsCounting(counter,
                    c -> Tracepoint.attach(c.program(), "syscalls", "sys_enter_getpgid", AttachMode.LEGACY));
        }
    }

    @Test
    void closingARawTracepointStopsCounting() {
        try (CountingProgram counter = CountingProgram.forThisProcess(ProgType.RAW_TRACEPOINT)) {
            assertCloseStopsCounting(counter, c -> RawTracepoint.attach(c.program(), "sys_enter"));
        }
    }

    @Test
    void closingATpBtfLinkStopsCounting() {
        KernelBtfTarget target = KernelBtfTarget.resolve(AttachType.TRACE_RAW_TP, "sys_enter");
        try (CountingProgram counter = tpBtf(target)) {
            assertCloseStopsCounting(counter, c -> Tracing.attach(c.program(), target));
        }
    }

    @Test
    void closingAUprobeStopsCounting() {
        Path binary = ProbedBinary.compile(dir, false);
        try (CountingProgram counter = CountingProgram.load(ProgType.KPROBE, CountingProgram.ANY_PROCESS,
                UnaryOperator.identity())) {
            BpfLink link = Uprobe.attach(counter.program(), false, binary, ProbedBinary.FUNCTION, 0, -1);
            ProbedBinary.run(binary, CALLS);
            link.close();
            ProbedBinary.run(binary, CALLS);
            assertEquals(CALLS, counter.count());
        }
    }

    @Test
    void closingPerfEventSamplingStopsCounting() {
        try (CountingProgram counter = CountingProgram.load(ProgType.PERF_EVENT, CountingProgram.ANY_PROCESS,
                UnaryOperator.identity())) {
            BpfLink link = PerfEventAttach.attachEachCpu(counter.program(),
                    PerfEventAttr.of(PerfEventAttr.TYPE_SOFTWARE, PerfEventAttr.COUNT_SW_CPU_CLOCK).sampleFreq(1000));
            assertTrue(counter.awaitAbove(0, Duration.ofSeconds(5)) > 0);
            link.close();
            long afterClose = counter.count();
            assertEquals(afterClose, counter.awaitAbove(afterClose, Duration.ofMillis(50)), "sampled after close");
        }
    }

    @Test
    void attachingAndClosingManyTimesLeaksNoDescriptors() {
        KernelBtfTarget target = KernelBtfTarget.resolve(AttachType.TRACE_RAW_TP, "sys_enter");
        try (CountingProgram tracepoint = CountingProgram.forThisProcess(ProgType.TRACEPOINT);
             CountingProgram rawTracepoint = CountingProgram.forThisProcess(ProgType.RAW_TRACEPOINT);
             CountingProgram tracing = tpBtf(target)) {
            List<Supplier<BpfLink>> kinds = List.of(
                    () -> Tracepoint.attach(tracepoint.program(), "syscalls", "sys_enter_getpgid"),
                    () -> Tracepoint.attach(tracepoint.program(), "syscalls", "sys_enter_getpgid", AttachMode.LEGACY),
                    () -> RawTracepoint.attach(rawTracepoint.program(), "sys_enter"),
                    () -> Tracing.attach(tracing.program(), target));
            long before = OpenDescriptors.count();
            for (int i = 0; i < CYCLES; i++) {
                kinds.get(i % kinds.size()).get().close();
            }
            assertTrue(OpenDescriptors.count() <= before, "open descriptors grew from " + before);
        }
    }

    @Test
    void failedAttachmentsLeakNoDescriptors() {
        try (CountingProgram wrongType = CountingProgram.forThisProcess(ProgType.RAW_TRACEPOINT)) {
            long before = OpenDescriptors.count();
            for (int i = 0; i < CYCLES; i++) {
                assertThrows(AttachException.class,
                        () -> Tracepoint.attach(wrongType.program(), "syscalls", "sys_enter_getpgid"));
            }
            assertTrue(OpenDescriptors.count() <= before, "open descriptors grew from " + before);
        }
    }

    private static CountingProgram tpBtf(KernelBtfTarget target) {
        return CountingProgram.load(ProgType.TRACING, Native.getpid(),
                a -> a.expectedAttachType(target.attachType().value()).attachBtf(target.btfId(), 0));
    }
}
