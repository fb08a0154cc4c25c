package io.reactorbpf.core.internal.elf;

import io.reactorbpf.core.internal.elf.ElfSection;
import io.reactorbpf.core.internal.elf.ElfFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.reactorbpf.core.testing.TypedFailures;

/**
 * Fuzzes the ELF reader, as a BPF object and as an executable of any machine. Without JAZZER_FUZZ, {@code mvn
 * verify} runs the inputs in src/test/resources/io/reactorbpf/core/internal/elf/ElfFuzzTestInputs/parse; a long run is
 * {@code JAZZER_FUZZ=1 mvn -pl reactor-bpf-core test -Dtest=ElfFuzzTest}, which stops after maxExecutions inputs or
 * maxDuration, keeps new coverage in reactor-bpf-core/.cifuzz-corpus and writes a finding into the inputs folder.
 */
class ElfFuzzTest {

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void parse(byte[] input) {
        TypedFailures.only(() -> {
            ElfFile elf = ElfFile.parse(input);
            for (ElfSection s : elf.sections()) {
                s.data().remaining();
            }
            elf.relocations().forEach(r -> r.entries().forEach(e -> elf.symbol(e.symbolIndex())));
        });
        TypedFailures.only(() -> {
            ElfFile any = ElfFile.parseAnyMachine(input);
            any.segments().forEach(s -> any.fileOffsetOf(s.vaddr()));
            any.dynamicSymbols().forEach(s -> any.fileOffsetOf(s.value()));
        });
    }
}
