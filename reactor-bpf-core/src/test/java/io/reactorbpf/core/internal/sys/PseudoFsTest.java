package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@KernelTest
class PseudoFsTest {

    @Test
    void tracefsIsFoundOrMountedWithAnEventsDirectory() {
        Path tracefs = PseudoFs.TRACEFS.mountPoint();
        assertTrue(Files.isDirectory(tracefs.resolve("events")), tracefs + " has no events/");
        assertEquals(tracefs, PseudoFs.TRACEFS.find(MountInfo.current()));
    }

    @Test
    void bpffsIsFoundOrMounted() {
        Path bpffs = PseudoFs.BPFFS.mountPoint();
        assertEquals(bpffs, PseudoFs.BPFFS.find(MountInfo.current()));
    }

    @Test
    void syscallTracepointHasAnId() {
        assertTrue(TraceFs.tracepointId("syscalls", "sys_enter_getpgid") > 0);
    }

    @Test
    void unknownTracepointIsNamedInTheError() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> TraceFs.tracepointId("syscalls", "sys_enter_nope"));
        assertTrue(e.getMessage().contains("syscalls:sys_enter_nope"), e.getMessage());
    }
}
