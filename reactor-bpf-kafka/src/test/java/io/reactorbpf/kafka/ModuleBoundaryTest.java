package io.reactorbpf.kafka;

import io.reactorbpf.core.BpfException;
import io.reactorbpf.core.testing.ModuleApi;
import io.reactorbpf.core.testing.SourceJavadoc;
import io.reactorbpf.perf.PerfBuffer;
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
 * The Kafka module exports its one API package, no API of it names a type users cannot see, none of its public
 * types shares a simple name with another of the library's, and every exported type says since which version it
 * is there.
 */
class ModuleBoundaryTest {

    private final ModuleApi api = ModuleApi.of(KafkaSink.class);

    @Test
    void exportsTheSinkPackageOnly() {
        assertEquals(Set.of("io.reactorbpf.kafka"), api.exportedPackages());
        assertEquals(Set.of(), api.qualifiedExports());
    }

    @Test
    void noTwoPublicTypesOfTheLibraryShareASimpleName() {
        Map<String, List<String>> bySimpleName = Stream.of(ModuleApi.of(BpfException.class), ModuleApi.of(PerfBuffer.class),
                        api)
                .flatMap(m -> m.topLevelTypes().stream())
                .collect(Collectors.groupingBy(Class::getSimpleName, TreeMap::new,
                        Collectors.mapping(Class::getName, Collectors.toList())));
        assertTrue(bySimpleName.containsKey(KafkaSink.class.getSimpleName()), "this module's types were read");
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
        assertTrue(types.contains(KafkaSink.Builder.class.getCanonicalName()), "nested types are checked too: " + types);
        assertEquals(List.of(), SourceJavadoc.read(Path.of("src/main/java")).lacking("since", types),
                "exported types whose own Javadoc comment has no @since tag");
    }
}
