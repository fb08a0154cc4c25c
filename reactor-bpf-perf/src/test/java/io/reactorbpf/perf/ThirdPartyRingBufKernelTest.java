package io.reactorbpf.perf;

import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.core.object.ObjectSpec;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unmodified third-party objects that write to BPF ring buffers (Debian's libbpf-tools, see the README beside
 * them) get through the verifier with the loader's loss counting, and stream.
 */
@KernelTest
class ThirdPartyRingBufKernelTest {

    private static ObjectSpec open(String name) {
        try (InputStream in = ThirdPartyRingBufKernelTest.class.getResourceAsStream("/bpf/thirdparty/" + name + ".bpf.o")) {
            return BpfObject.open(in.readAllBytes(), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void mountsnoopLoadsWithItsLossesCountedAndStreamsAMountAndAnUnmount(@TempDir Path dir) throws Exception {
        try (BpfObject object = open("mountsnoop").load()) {
            assertTrue(object.map("events").lossCounter().isPresent(), "the ring buffer's losses are counted");
            object.attachAll();
            StepVerifier.create(RingBufStream.samples(object.map("events")).take(2))
                    .then(() -> {
                        run("mount", "-t", "tmpfs", "reactor-bpf-test", dir.toString());
                        run("umount", dir.toString());
                    })
                    .expectNextCount(2)
                    .expectComplete()
                    .verify(Duration.ofSeconds(15));
            assertEquals(0, object.map("events").lossCounter().get().read());
        }
    }

    @Test
    void oomkillLoadsWithItsLossesCounted() {
        try (BpfObject object = open("oomkill").load()) {
            assertTrue(object.maps().stream().anyMatch(m -> m.lossCounter().isPresent()),
                    "a ring buffer of oomkill has its losses counted");
        }
    }

    private static void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            assertEquals(0, p.waitFor(), String.join(" ", command));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
