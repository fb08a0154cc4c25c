package io.reactorbpf.core.object;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.reactorbpf.core.internal.btf.BtfFeature;
import io.reactorbpf.core.internal.btf.BtfSanitizer;
import io.reactorbpf.core.testing.TypedFailures;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fuzzes what {@link ObjectSpec#load()} does before its first syscall: map sizes left at 0, the map memory limit, max_entries as the
 * kernel needs it, BTF sanitizing, CO-RE relocation against the running kernel's BTF (read from sysfs) and the
 * linking of every program, with made-up descriptors standing for the maps. It never calls the kernel, so a fuzzed
 * map, however large, is never created. Regression inputs: src/test/resources/io/reactorbpf/core/object/
 * LoadPreparationFuzzTestInputs/prepare; a long run is
 * {@code JAZZER_FUZZ=1 mvn -pl reactor-bpf-core test -Dtest=LoadPreparationFuzzTest} (see ElfFuzzTest).
 */
class LoadPreparationFuzzTest {

    /** The first made-up map descriptor; nothing is done with them but writing them into instructions. */
    private static final int FIRST_FD = 1000;

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void prepare(byte[] input) {
        TypedFailures.only(() -> {
            ObjectSpec spec = BpfObject.open(input, "fuzz");
            MapSizes.checkCreatable(spec);
            MapMemoryLimit.check(spec, spec.mapMemoryLimit());
            Map<String, Integer> fds = new LinkedHashMap<>();
            for (MapSpec m : spec.maps()) {
                ObjectLoader.maxEntries(m);
                fds.put(m.name(), FIRST_FD + fds.size());
            }
            spec.btf().ifPresent(btf -> BtfSanitizer.sanitize(btf, EnumSet.allOf(BtfFeature.class)).toBytes());
            Map<Integer, byte[]> code = new LinkedHashMap<>();
            spec.code().forEach((index, section) -> code.put(index, section.insns().clone()));
            CoreRelocations.apply(spec, code);
            ProgramLinker linker = new ProgramLinker(spec.code(), code, fds, spec.ext(), KsymResolver.running(spec));
            for (ProgramSpec p : spec.programs()) {
                linker.link(p);
            }
        });
    }
}
