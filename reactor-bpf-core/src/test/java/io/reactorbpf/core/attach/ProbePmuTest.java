package io.reactorbpf.core.attach;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PMU description as sysfs lays it out, in a temporary directory. */
class ProbePmuTest {

    @TempDir
    Path devices;

    private void pmu(String name, String type, String retprobe) throws IOException {
        Path dir = Files.createDirectories(devices.resolve(name).resolve("format"));
        Files.writeString(dir.getParent().resolve("type"), type + "\n");
        if (retprobe != null) {
            Files.writeString(dir.resolve("retprobe"), retprobe + "\n");
        }
    }

    @Test
    void readsTheDynamicTypeAndRetprobeBit() throws IOException {
        pmu("uprobe", "8", "config:0");
        ProbePmu pmu = ProbePmu.read(devices, "uprobe", "CONFIG_UPROBES");
        assertEquals(8, pmu.type());
        assertEquals(0, pmu.config(false));
        assertEquals(1, pmu.config(true));
    }

    @Test
    void retprobeBitCanBeAnyConfigBit() throws IOException {
        pmu("kprobe", "6", "config:5");
        assertEquals(1L << 5, ProbePmu.read(devices, "kprobe", "CONFIG_KPROBES").config(true));
    }

    @Test
    void missingPmuSaysWhichKernelOptionsAreNeeded() {
        UnsupportedAttachException e = assertThrows(UnsupportedAttachException.class,
                () -> ProbePmu.read(devices, "kprobe", "CONFIG_KPROBES and CONFIG_KPROBE_EVENTS"));
        assertEquals("this kernel has no kprobe support (no " + devices.resolve("kprobe")
                + "; it needs CONFIG_KPROBES and CONFIG_KPROBE_EVENTS)", e.getMessage());
    }

    @Test
    void pmuWithoutRetprobeFormatStillMakesEntryProbes() throws IOException {
        pmu("uprobe", "8", null);
        ProbePmu pmu = ProbePmu.read(devices, "uprobe", "CONFIG_UPROBES");
        assertEquals(0, pmu.config(false));
        assertTrue(assertThrows(UnsupportedAttachException.class, () -> pmu.config(true)).getMessage()
                .contains("no retprobe format"));
    }

    @Test
    void unreadableFormatIsQuoted() throws IOException {
        pmu("uprobe", "8", "config1:0-3");
        AttachException e = assertThrows(AttachException.class, () -> ProbePmu.read(devices, "uprobe", "CONFIG_UPROBES"));
        assertTrue(e.getMessage().contains("'config1:0-3'"), e.getMessage());
    }

    @Test
    void nonNumericTypeIsNamed() throws IOException {
        pmu("uprobe", "eight", "config:0");
        AttachException e = assertThrows(AttachException.class, () -> ProbePmu.read(devices, "uprobe", "CONFIG_UPROBES"));
        assertTrue(e.getMessage().contains(devices.resolve("uprobe/type").toString()), e.getMessage());
    }

    @Test
    void thisKernelsUprobePmuIsReadable() {
        ProbePmu pmu = ProbePmu.read(ProbePmu.DEVICES, "uprobe", "CONFIG_UPROBES");
        assertTrue(pmu.type() > 5, "dynamic PMU types follow the fixed ones, got " + pmu.type());
    }
}
