package io.reactorbpf.core.btf;

import io.reactorbpf.core.internal.btf.BtfFeature;
import io.reactorbpf.core.internal.btf.BtfSanitizer;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.reactorbpf.core.btf.value.BtfJsonDecoder;
import io.reactorbpf.core.testing.TypedFailures;

import java.nio.ByteBuffer;
import java.util.EnumSet;

/**
 * Fuzzes the BTF reader and every query on what it reads: names, sizes, descriptions, the writer, the sanitizer
 * and the value decoders. Regression inputs: src/test/resources/io/reactorbpf/core/btf/BtfFuzzTestInputs/parse; a
 * long run is {@code JAZZER_FUZZ=1 mvn -pl reactor-bpf-core test -Dtest=BtfFuzzTest} (see ElfFuzzTest).
 */
class BtfFuzzTest {

    /** Types decoded per input: enough to reach every kind, few enough to keep an input fast. */
    private static final int DECODED_TYPES = 32;
    private static final int VALUE_BYTES = 256;

    @FuzzTest(maxDuration = "30m", maxExecutions = 1_000_000)
    void parse(byte[] input) {
        TypedFailures.only(() -> {
            Btf btf = Btf.parse(input);
            for (int id = 0; id <= btf.typeCount(); id++) {
                btf.describe(id);
                btf.skipModsAndTypedefs(id);
                btf.idsByName(btf.type(id).name());
                int type = id;
                TypedFailures.only(() -> btf.resolveSize(type));
            }
            Btf.parse(btf.toBytes());
            BtfSanitizer.sanitize(btf, EnumSet.allOf(BtfFeature.class)).toBytes();
            decodeSome(btf);
        });
    }

    private static void decodeSome(Btf btf) {
        int decoded = 0;
        for (int id = 1; id <= btf.typeCount() && decoded < DECODED_TYPES; id++) {
            if (btf.type(id) instanceof BtfType.Composite) {
                decoded++;
                int type = id;
                TypedFailures.only(() -> BtfJsonDecoder.forType(btf, type)
                        .toTree(ByteBuffer.allocate(VALUE_BYTES), 0, VALUE_BYTES));
            }
        }
    }
}
