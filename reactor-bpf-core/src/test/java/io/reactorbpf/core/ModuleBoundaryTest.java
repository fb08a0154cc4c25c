package io.reactorbpf.core;

import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.testing.ModuleApi;
import io.reactorbpf.core.testing.SourceJavadoc;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core module exports its API packages only, lets only the perf module read the syscall layer, no API names an
 * internal type, and every exported type says in its Javadoc since which version it is there.
 */
class ModuleBoundaryTest {

    private final ModuleApi api = ModuleApi.of(BpfException.class);

    @Test
    void exportsExactlyTheApiPackages() {
        assertEquals(Set.of("io.reactorbpf.core", "io.reactorbpf.core.asm", "io.reactorbpf.core.attach",
                "io.reactorbpf.core.btf", "io.reactorbpf.core.btf.value", "io.reactorbpf.core.map",
                "io.reactorbpf.core.object", "io.reactorbpf.core.symbol", "io.reactorbpf.core.sys"),
                api.exportedPackages());
    }

    @Test
    void onlyThePerfModuleReadsTheSyscallLayer() {
        assertEquals(Set.of("io.reactorbpf.core.internal.sys to io.reactorbpf.perf"), api.qualifiedExports());
    }

    @Test
    void noExportedSignatureNamesAnInternalType() {
        assertEquals(List.of(), api.leaks());
    }

    @Test
    void everyExportedTypeNestedOrNotHasASinceTagInItsOwnJavadoc() {
        List<String> types = api.types().stream().map(Class::getCanonicalName).toList();
        assertTrue(types.contains(BtfType.Int.class.getCanonicalName()), "nested types are checked too: " + types);
        assertEquals(List.of(), SourceJavadoc.read(Path.of("src/main/java")).lacking("since", types),
                "exported types whose own Javadoc comment has no @since tag");
    }
}
