package io.reactorbpf.core.object;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.reactorbpf.core.testing.TypedFailures;

/**
 * Fuzzes {@link BpfObject#open(byte[], String)} and everything an opened object answers without the kernel: its
 * maps, programs and the bytes and types of its global variables. Regression inputs (the committed objects and the
 * reproducers of past findings): src/test/resources/io/reactorbpf/core/object/ObjectOpenFuzzTestInputs/open; a long
 * run is {@code JAZZER_FUZZ=1 mvn -pl reactor-bpf-core test -Dtest=ObjectOpenFuzzTest} (see ElfFuzzTest).
 */
class ObjectOpenFuzzTest {

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void open(byte[] input) {
        TypedFailures.only(() -> {
            ObjectSpec spec = BpfObject.open(input, "fuzz");
            spec.maps().forEach(MapSpec::toString);
            spec.programs().forEach(p -> p.section().name());
            for (GlobalVariable v : spec.variables()) {
                v.bytes();
                v.typeName();
                v.type();
            }
            spec.license();
        });
    }
}
