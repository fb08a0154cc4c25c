package io.reactorbpf.core.attach;

import io.reactorbpf.core.internal.sys.Arch;
import io.reactorbpf.core.internal.sys.Native;
import io.reactorbpf.core.sys.ProgType;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Correct on kernels with and without kprobes: which one this is decides what is asserted. */
@KernelTest
class KprobeTest {

    private static final int CALLS = 25;
    private static final Path KPROBE_PMU = Path.of("/sys/bus/event_source/devices/kprobe");

    @Test
    void kprobeCountsCallsOrSaysTheKernelHasNoKprobes() {
        String function = Native.arch() == Arch.X86_64 ? "__x64_sys_getpgid" : "__arm64_sys_getpgid";
        try (CountingProgram counter = CountingProgram.forThisProcess(ProgType.KPROBE)) {
            if (Files.isDirectory(KPROBE_PMU)) {
                try (BpfLink link = Kprobe.attach(counter.program(), false, function, 0)) {
                    GetpgidSampler.trigger(CALLS);
                    assertEquals(CALLS, counter.count());
                    assertEquals("kprobe " + function, link.describe());
                }
            } else {
                UnsupportedAttachException e = assertThrows(UnsupportedAttachException.class,
                        () -> Kprobe.attach(counter.program(), false, function, 0));
                assertEquals("this kernel has no kprobe support (no /sys/bus/event_source/devices/kprobe; it needs "
                        + "CONFIG_KPROBES and CONFIG_KPROBE_EVENTS)", e.getMessage());
            }
        }
    }
}
