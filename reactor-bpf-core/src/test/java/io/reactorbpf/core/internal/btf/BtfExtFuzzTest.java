package io.reactorbpf.core.internal.btf;

import io.reactorbpf.core.btf.Btf;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.reactorbpf.core.internal.elf.ElfFile;
import io.reactorbpf.core.testing.TypedFailures;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Fuzzes the .BTF.ext reader against the BTF of loader_core.bpf.o (func_info, line_info and CO-RE records), then
 * the CO-RE access strings it read. Regression inputs: src/test/resources/io/reactorbpf/core/btf/
 * BtfExtFuzzTestInputs/parse; a long run is {@code JAZZER_FUZZ=1 mvn -pl reactor-bpf-core test -Dtest=BtfExtFuzzTest}.
 */
class BtfExtFuzzTest {

    private static final Btf BTF = Btf.parse(ElfFile.parse(object()).section(".BTF").orElseThrow().data());

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void parse(byte[] input) {
        TypedFailures.only(() -> {
            BtfExt ext = BtfExt.parse(input, BTF);
            ext.coreRelos().values().forEach(list -> list.forEach(BtfExt.CoreRelo::accessIndices));
            ext.funcInfo().values().forEach(list -> list.forEach(f -> BTF.type(f.typeId())));
        });
    }

    private static byte[] object() {
        try (InputStream in = BtfExtFuzzTest.class.getResourceAsStream("/bpf/loader/loader_core.bpf.o")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
