package io.reactorbpf.core;

import io.reactorbpf.core.testing.ModuleApi;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The core module exports its API packages only, lets only the perf module read the syscall layer, and no API names an internal type. */
class ModuleBoundaryTest {

    private final ModuleApi api = ModuleApi.of(BpfException.class);

    @Test
    void exportsExactlyTheApiPackages() {
        assertEquals(Set.of("io.reactorbpf.core", "io.reactorbpf.core.asm", "io.reactorbpf.core.attach",
                "io.reactorbpf.core.btf", "io.reactorbpf.core.btf.value", "io.reactorbpf.core.map",
                "io.reactorbpf.core.object", "io.reactorbpf.core.sys"), api.exportedPackages());
    }

    @Test
    void onlyThePerfModuleReadsTheSyscallLayer() {
        assertEquals(Set.of("io.reactorbpf.core.internal.sys to io.reactorbpf.perf"), api.qualifiedExports());
    }

    @Test
    void noExportedSignatureNamesAnInternalType() {
        assertEquals(List.of(), api.leaks());
    }
}
