package io.reactorbpf.perf;

import io.reactorbpf.core.testing.ModuleApi;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The perf module exports the stream, map snapshot and meter packages, and no API of theirs names a type users cannot see. */
class ModuleBoundaryTest {

    private final ModuleApi api = ModuleApi.of(PerfBuffer.class);

    @Test
    void exportsTheStreamMapSnapshotAndMeterPackages() {
        assertEquals(Set.of("io.reactorbpf.perf", "io.reactorbpf.perf.maps", "io.reactorbpf.perf.micrometer"),
                api.exportedPackages());
        assertEquals(Set.of(), api.qualifiedExports());
    }

    @Test
    void noExportedSignatureNamesAnInternalType() {
        assertEquals(List.of(), api.leaks());
    }
}
