package io.reactorbpf.core.object;

import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.core.testing.OpenDescriptors;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

@KernelTest
class FdLeakTest {

    @Test
    void loadingAndClosingAThousandTimesLeaksNoDescriptor() throws IOException {
        ObjectSpec spec = TestObjects.open("loader_small");
        spec.load().close();
        long before = OpenDescriptors.count();
        for (int i = 0; i < 1000; i++) {
            spec.load().close();
        }
        assertTrue(OpenDescriptors.count() <= before,
                "open descriptors grew from " + before + " to " + OpenDescriptors.count());
    }

    @Test
    void openingLoadingAttachingAllAndClosingAThousandTimesLeaksNoDescriptor() throws IOException {
        assertCyclesLeakNoDescriptor(1000, Set.of("on_raw_tp", "on_tp_btf"));
    }

    /** Fewer cycles: this kernel takes 30-80 ms (RCU grace periods) to detach each program from a perf event. */
    @Test
    void cyclesWithATracepointsPerfEventAndLinkLeakNoDescriptor() throws IOException {
        assertCyclesLeakNoDescriptor(100, Set.of("on_tracepoint", "on_raw_tp", "on_tp_btf"));
    }

    /** {@code cycles} times: open loader_attach, load {@code programs}, attachAll, close. */
    private static void assertCyclesLeakNoDescriptor(int cycles, Set<String> programs) throws IOException {
        byte[] object = TestObjects.bytes("loader_attach");
        openLoadAttachAllClose(object, programs);
        long before = OpenDescriptors.count();
        for (int i = 0; i < cycles; i++) {
            openLoadAttachAllClose(object, programs);
        }
        assertTrue(OpenDescriptors.count() <= before,
                "open descriptors grew from " + before + " to " + OpenDescriptors.count());
    }

    private static void openLoadAttachAllClose(byte[] object, Set<String> programs) {
        ObjectSpec spec = BpfObject.open(object, "loader_attach");
        spec.programs().forEach(p -> p.autoload(programs.contains(p.name())));
        try (BpfObject obj = spec.load()) {
            assertEquals(programs.size(), obj.attachAll().size());
        }
    }

    @Test
    void aFailedLoadLeaksNoDescriptor() throws IOException {
        ObjectSpec spec = TestObjects.open("loader_reject");
        failToLoad(spec);
        long before = OpenDescriptors.count();
        for (int i = 0; i < 50; i++) {
            failToLoad(spec);
        }
        assertTrue(OpenDescriptors.count() <= before,
                "open descriptors grew from " + before + " to " + OpenDescriptors.count());
    }

    private static void failToLoad(ObjectSpec spec) {
        assertThrows(ProgramLoadException.class, spec::load);
    }
}
