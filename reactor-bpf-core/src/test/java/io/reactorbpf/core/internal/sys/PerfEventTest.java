package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.Kernel;
import io.reactorbpf.core.sys.SyscallException;
import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.PerfEventAttr;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@KernelTest
class PerfEventTest {

    @Test
    void eachEventHasItsOwnKernelId() {
        try (FileDescriptor a = PerfEvent.open(PerfEventAttr.bpfOutput(1), -1, 0, -1);
             FileDescriptor b = PerfEvent.open(PerfEventAttr.bpfOutput(1), -1, 0, -1)) {
            assertNotEquals(PerfEvent.id(a), PerfEvent.id(b));
            PerfEvent.enable(a);
            PerfEvent.disable(a);
        }
    }

    @Test
    void aRingMapsAsOnePlusAPowerOfTwoPages() {
        int page = Kernel.pageSize();
        try (FileDescriptor event = PerfEvent.open(PerfEventAttr.bpfOutput(1), -1, 0, -1);
             MappedMemory ring = MappedMemory.map(event, 9L * page, MappedMemory.PROT_READ | MappedMemory.PROT_WRITE, 0)) {
            assertEquals(9L * page, ring.buffer().capacity());
            assertEquals(8L * page, ring.buffer().getLong(1048), "data_size in perf_event_mmap_page");
            ring.close();
            assertTrue(ring.isClosed());
        }
    }

    @Test
    void aRingOfNoPowerOfTwoIsRefused() {
        int page = Kernel.pageSize();
        try (FileDescriptor event = PerfEvent.open(PerfEventAttr.bpfOutput(1), -1, 0, -1)) {
            SyscallException e = assertThrows(SyscallException.class,
                    () -> MappedMemory.map(event, 4L * page, MappedMemory.PROT_READ | MappedMemory.PROT_WRITE, 0));
            assertEquals(Errno.EINVAL, e.errno());
        }
    }

    @Test
    void aCpuThatDoesNotExistIsNamed() {
        int cpu = CpuSet.possible().span() + 100;
        SyscallException e = assertThrows(SyscallException.class,
                () -> PerfEvent.open(PerfEventAttr.bpfOutput(1), -1, cpu, -1));
        assertTrue(e.getMessage().contains("cpu " + cpu), e.getMessage());
    }
}
