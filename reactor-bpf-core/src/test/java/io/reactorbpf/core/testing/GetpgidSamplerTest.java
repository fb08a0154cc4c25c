package io.reactorbpf.core.testing;

import io.reactorbpf.core.internal.sys.Native;
import io.reactorbpf.core.sys.SyscallException;
import io.reactorbpf.core.sys.VerifierException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@KernelTest
class GetpgidSamplerTest {

    @Test
    void aProgramTheVerifierRejectsLeavesNoMapOpen() {
        long before = openMaps();
        // bpf_perf_event_output is GPL-only: the verifier rejects the program under another license
        assertThrows(VerifierException.class,
                () -> GetpgidSampler.load("events", Native.getpid(), 16, attr -> attr.license("Proprietary")));
        assertEquals(before, openMaps());
    }

    @Test
    void aScratchMapTheKernelRefusesLeavesNoMapOpen() {
        long before = openMaps();
        // a per-CPU value larger than the kernel's 32 KiB per-CPU unit is refused at map creation
        assertThrows(SyscallException.class, () -> GetpgidSampler.forThisProcess("events", 1 << 16));
        assertEquals(before, openMaps());
    }

    @Test
    void closeReleasesEveryMap() {
        long before = openMaps();
        GetpgidSampler.forThisProcess("events", 16).close();
        assertEquals(before, openMaps());
    }

    /** How many BPF maps this process has descriptors for. */
    private static long openMaps() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(GetpgidSamplerTest::isMap).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isMap(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString().equals("anon_inode:bpf-map");
        } catch (IOException e) {
            return false; // closed since it was listed, like the descriptor of the listing itself
        }
    }
}
