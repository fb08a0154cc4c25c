package io.reactorbpf.core.object;

import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@KernelTest
class FdLeakTest {

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void loadingAndClosingAThousandTimesLeaksNoDescriptor() throws IOException {
        ObjectSpec spec = TestObjects.open("loader_small");
        spec.load().close();
        long before = openFds();
        for (int i = 0; i < 1000; i++) {
            spec.load().close();
        }
        assertEquals(before, openFds());
    }

    @Test
    void aFailedLoadLeaksNoDescriptor() throws IOException {
        ObjectSpec spec = TestObjects.open("loader_reject");
        failToLoad(spec);
        long before = openFds();
        for (int i = 0; i < 50; i++) {
            failToLoad(spec);
        }
        assertEquals(before, openFds());
    }

    private static void failToLoad(ObjectSpec spec) {
        assertThrows(ProgramLoadException.class, spec::load);
    }
}
