package io.reactorbpf.perf;

import io.reactorbpf.core.BpfException;
import io.reactorbpf.core.testing.ModuleApi;
import io.reactorbpf.core.testing.SourceJavadoc;
import io.reactorbpf.perf.maps.MapSnapshot;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The perf module exports the stream, map snapshot and meter packages, no API of theirs names a type users cannot
 * see, no two public types of the library share a simple name, and every exported type says in its Javadoc since
 * which version it is there.
 */
class ModuleBoundaryTest {

    private final ModuleApi api = ModuleApi.of(PerfBuffer.class);

    @Test
    void exportsTheStreamMapSnapshotAndMeterPackages() {
        assertEquals(Set.of("io.reactorbpf.perf", "io.reactorbpf.perf.maps", "io.reactorbpf.perf.micrometer"),
                api.exportedPackages());
        assertEquals(Set.of(), api.qualifiedExports());
    }

    @Test
    void noTwoPublicTypesOfTheLibraryShareASimpleName() {
        Map<String, List<String>> bySimpleName = Stream.concat(ModuleApi.of(BpfException.class).topLevelTypes().stream(),
                        api.topLevelTypes().stream())
                .collect(Collectors.groupingBy(Class::getSimpleName, TreeMap::new,
                        Collectors.mapping(Class::getName, Collectors.toList())));
        assertTrue(bySimpleName.size() > 100, "both modules' types were read: " + bySimpleName.size());
        assertEquals(Map.of(), bySimpleName.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    @Test
    void noExportedSignatureNamesAnInternalType() {
        assertEquals(List.of(), api.leaks());
    }

    @Test
    void everyExportedTypeNestedOrNotHasASinceTagInItsOwnJavadoc() {
        List<String> types = api.types().stream().map(Class::getCanonicalName).toList();
        assertTrue(types.contains(MapSnapshot.Entry.class.getCanonicalName()), "nested types are checked too: " + types);
        assertEquals(List.of(), SourceJavadoc.read(Path.of("src/main/java")).lacking("since", types),
                "exported types whose own Javadoc comment has no @since tag");
    }
}
