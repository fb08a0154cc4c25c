package io.reactorbpf.core.object;

import io.reactorbpf.core.sys.Kernel;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unmodified third-party objects that read {@code LINUX_KERNEL_VERSION} (Debian's libbpf-tools, see the README
 * beside them), which failed to open before __kconfig externs were resolved.
 */
@KernelTest
class ThirdPartyKconfigKernelTest {

    @ParameterizedTest
    @ValueSource(strings = {"biolatency", "bitesize", "capable"})
    void theObjectOpensWithTheRunningKernelsVersionInItsKconfigMap(String name) throws IOException {
        ObjectSpec spec;
        try (InputStream in = getClass().getResourceAsStream("/bpf/thirdparty/" + name + ".bpf.o")) {
            spec = BpfObject.open(in.readAllBytes(), name);
        }
        MapSpec kconfig = spec.map(ObjectReader.internalMapName(name, ".kconfig"));
        assertEquals(Kernel.versionCode(), ByteBuffer.wrap(kconfig.contents()).order(ByteOrder.nativeOrder()).getInt(0));
        assertTrue(kconfig.frozen() && (kconfig.flags() & MapSpec.F_RDONLY_PROG) != 0, "read-only and frozen");
    }

    @ParameterizedTest
    @ValueSource(strings = {"biolatency", "bitesize"})
    void itsTracepointProgramsLoadWithTheExternsResolved(String name) throws IOException {
        ObjectSpec spec;
        try (InputStream in = getClass().getResourceAsStream("/bpf/thirdparty/" + name + ".bpf.o")) {
            spec = BpfObject.open(in.readAllBytes(), name);
        }
        spec.load().close();
    }
}
