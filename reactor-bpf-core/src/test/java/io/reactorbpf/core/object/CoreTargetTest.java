package io.reactorbpf.core.object;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.internal.btf.CoreResult;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CO-RE relocates against a kernel BTF the caller supplies exactly as against the running kernel's. */
@KernelTest
class CoreTargetTest {

    /** Committed objects with CO-RE relocations: ours and unmodified Debian libbpf-tools ones. */
    private static final List<String> OBJECTS = List.of("/bpf/loader/loader_core.bpf.o",
            "/bpf/thirdparty/biolatency.bpf.o", "/bpf/thirdparty/bitesize.bpf.o", "/bpf/thirdparty/capable.bpf.o",
            "/bpf/thirdparty/offcputime.bpf.o", "/bpf/thirdparty/cpudist.bpf.o");

    @Test
    void aSuppliedBtfFileGivesTheSameRelocationsAsTheRunningKernelsOwn(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("vmlinux.btf");
        Files.copy(Path.of("/sys/kernel/btf/vmlinux"), file);
        Btf supplied = Btf.read(file);
        for (String object : OBJECTS) {
            ObjectSpec running = open(object);
            ObjectSpec custom = open(object).coreTarget(supplied);
            Map<Integer, byte[]> runningCode = code(running);
            Map<Integer, byte[]> customCode = code(custom);
            List<CoreResult> a = CoreRelocations.apply(running, runningCode).results();
            List<CoreResult> b = CoreRelocations.apply(custom, customCode).results();
            assertFalse(a.isEmpty(), object + " has CO-RE relocations to compare");
            assertEquals(a, b, object);
            for (Integer section : runningCode.keySet()) {
                assertArrayEquals(runningCode.get(section), customCode.get(section), object + " section " + section);
            }
        }
    }

    @Test
    void aTargetWithoutTheKernelsTypesPoisonsTheAccessesAndTheVerifierRefusalSaysSo() {
        ObjectSpec spec = open("/bpf/loader/loader_core.bpf.o").coreTarget(Btf.of(List.of()));
        List<CoreResult> results = CoreRelocations.apply(spec, code(spec)).results();
        assertFalse(results.isEmpty());
        assertTrue(results.stream().allMatch(r -> r.poisoned() || r.relo().kind().name().startsWith("TYPE_EXISTS")
                || r.relo().kind().name().endsWith("EXISTS")), results.toString());
        ProgramLoadException e = assertThrows(ProgramLoadException.class, spec::load);
        assertTrue(e.getMessage().contains("CO-RE"), e.getMessage());
    }

    @Test
    void withoutATargetCoreUsesTheRunningKernelsBtf() {
        assertTrue(open("/bpf/loader/loader_core.bpf.o").coreTarget().isEmpty());
        assertThrows(NullPointerException.class, () -> open("/bpf/loader/loader_core.bpf.o").coreTarget(null));
    }

    private static Map<Integer, byte[]> code(ObjectSpec spec) {
        Map<Integer, byte[]> code = new LinkedHashMap<>();
        spec.code().forEach((index, section) -> code.put(index, section.insns().clone()));
        return code;
    }

    private static ObjectSpec open(String resource) {
        try (InputStream in = CoreTargetTest.class.getResourceAsStream(resource)) {
            return BpfObject.open(in.readAllBytes(), Path.of(resource).getFileName().toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
