package io.reactorbpf.core.object;

import io.reactorbpf.core.sys.Kernel;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.core.testing.OpenDescriptors;
import io.reactorbpf.core.testing.RingBufLostObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A ring buffer defined in overwrite mode (BPF_F_RB_OVERWRITE), on this kernel and on one that has the mode. */
@KernelTest
class RingBufOverwriteKernelTest {

    private static ObjectSpec withOverwrite() {
        ObjectSpec spec = BpfObject.open(RingBufLostObject.bytes(), "ringbuf_lost");
        spec.map("reserved").flags(spec.map("reserved").flags() | RingBufOverwrite.FLAG);
        return spec;
    }

    @Test
    void aKernelWithoutTheModeRefusesTheObjectNamingTheMapTheFlagAndTheRemedyAndLeaksNothing() {
        ObjectSpec spec = withOverwrite();
        if (RingBufOverwrite.supported()) {
            try (BpfObject object = spec.load()) {
                assertTrue((object.map("reserved").flags() & RingBufOverwrite.FLAG) != 0);
            }
            return;
        }
        Map<String, Long> before = OpenDescriptors.kernelObjects();
        UnsupportedMapException e = assertThrows(UnsupportedMapException.class, spec::load);
        assertEquals("map 'reserved' asks for a ring buffer in overwrite mode (BPF_F_RB_OVERWRITE), which this kernel ("
                + Kernel.release() + ") does not have: Linux 6.19 added it; remove the flag from the map's definition"
                + " (or clear it with MapSpec.flags before load) to get a ring buffer whose reserves fail when it is"
                + " full, with their losses counted", e.getMessage());
        assertEquals(before, OpenDescriptors.kernelObjects(), "what the load created was released");
    }

    @Test
    void withoutTheFlagTheSameObjectLoads() {
        ObjectSpec spec = withOverwrite();
        spec.map("reserved").flags(spec.map("reserved").flags() & ~RingBufOverwrite.FLAG);
        spec.load().close();
    }
}
