package io.reactorbpf.core.btf;

import io.reactorbpf.core.internal.btf.CoreReloKind;
import io.reactorbpf.core.internal.btf.CoreRelocator;
import io.reactorbpf.core.internal.btf.BtfExt;
import io.reactorbpf.core.BpfException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static io.reactorbpf.core.btf.CoreObject.LOCAL_PROGRAM;

/**
 * Random and mutated CO-RE records, and damaged instructions, against core_local.bpf.o and the core_target
 * BTF: the relocator either relocates or raises a BpfException subclass, never another exception.
 */
class CoreRelocationPropertiesTest {

    private static final CoreObject LOCAL = CoreObject.local();
    private static final Btf TARGET = CoreObject.target().btf();
    private static final byte[] CODE = LOCAL.section(LOCAL_PROGRAM);
    private static final List<BtfExt.CoreRelo> RELOS = LOCAL.relos(LOCAL_PROGRAM);

    @Provide
    Arbitrary<BtfExt.CoreRelo> relos() {
        Arbitrary<Integer> offsets = Arbitraries.oneOf(
                Arbitraries.integers().between(-16, CODE.length + 16),
                Arbitraries.of(RELOS.stream().map(BtfExt.CoreRelo::insnOffset).toList()),
                Arbitraries.integers());
        Arbitrary<Integer> typeIds = Arbitraries.oneOf(
                Arbitraries.integers().between(-2, LOCAL.btf().typeCount() + 2),
                Arbitraries.integers());
        Arbitrary<String> access = Arbitraries.oneOf(
                Arbitraries.of("0", "0:0", "0:1", "0:2:1", "0:3:3", "0:4:1:2", "1", "2", "0:99", "0:3:9", "", ":",
                        "0:", ":0", "0::1", "99999999999", "-1", "0:-1", "0:1:2:3:4:5:6:7"),
                Arbitraries.strings().withChars("0123456789:").ofMaxLength(20),
                Arbitraries.strings().ofMaxLength(8),
                Arbitraries.integers().between(0, 70).map(n -> "0" + ":0".repeat(n)));
        Arbitrary<CoreReloKind> kinds = Arbitraries.of(CoreReloKind.class);
        return Combinators.combine(offsets, typeIds, access, kinds)
                .as((offset, type, path, kind) -> new BtfExt.CoreRelo(offset, type, 0, path, kind));
    }

    @Provide
    Arbitrary<BtfExt.CoreRelo> mutatedRelos() {
        return Combinators.combine(Arbitraries.of(RELOS), relos(), Arbitraries.integers().between(0, 3))
                .as((real, random, field) -> switch (field) {
                    case 0 -> new BtfExt.CoreRelo(random.insnOffset(), real.typeId(), 0, real.accessString(), real.kind());
                    case 1 -> new BtfExt.CoreRelo(real.insnOffset(), random.typeId(), 0, real.accessString(), real.kind());
                    case 2 -> new BtfExt.CoreRelo(real.insnOffset(), real.typeId(), 0, random.accessString(), real.kind());
                    default -> new BtfExt.CoreRelo(real.insnOffset(), real.typeId(), 0, real.accessString(), random.kind());
                });
    }

    @Property(tries = 400)
    void randomRecordsOnlyRaiseBpfExceptions(@ForAll("relos") BtfExt.CoreRelo relo) {
        relocate(CODE.clone(), List.of(relo));
    }

    @Property(tries = 400)
    void mutatedRecordsOnlyRaiseBpfExceptions(@ForAll("mutatedRelos") BtfExt.CoreRelo relo) {
        relocate(CODE.clone(), List.of(relo));
    }

    @Property(tries = 200)
    void damagedInstructionsOnlyRaiseBpfExceptions(@ForAll("damage") List<Integer> damage) {
        byte[] code = CODE.clone();
        for (int i = 0; i + 1 < damage.size(); i += 2) {
            code[Math.floorMod(damage.get(i), code.length)] = (byte) (int) damage.get(i + 1);
        }
        relocate(code, RELOS);
    }

    @Provide
    Arbitrary<List<Integer>> damage() {
        return Arbitraries.integers().list().ofMinSize(2).ofMaxSize(16);
    }

    private static void relocate(byte[] code, List<BtfExt.CoreRelo> relos) {
        try {
            new CoreRelocator(TARGET).apply(LOCAL.btf(), LOCAL_PROGRAM, code, relos);
        } catch (BpfException expected) {
            // malformed input is allowed to fail, but only this way
        }
    }
}
