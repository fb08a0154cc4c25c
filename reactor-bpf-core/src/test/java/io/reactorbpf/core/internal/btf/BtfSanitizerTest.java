package io.reactorbpf.core.internal.btf;

import io.reactorbpf.core.btf.ShapesObject;
import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.btf.BtfLinkage;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BtfSanitizerTest {

    private final Btf btf = ShapesObject.btf();

    @Test
    void nothingMissingLeavesTheBtfAlone() {
        assertSame(btf, BtfSanitizer.sanitize(btf, Set.of()));
    }

    @Test
    void withoutDatasecVariablesBecomeBytesAndSectionsBecomeStructs() {
        Btf clean = BtfSanitizer.sanitize(btf, EnumSet.of(BtfFeature.DATASEC));
        assertEquals(new BtfType.Int("calls", 1, 0, 0, 8), clean.type(42));
        assertEquals(new BtfType.Struct("_bss", 0, false, List.of(
                new BtfType.Member("dropped", 41, 0, 0),
                new BtfType.Member("calls", 42, 64, 0))), clean.type(45));
    }

    @Test
    void withoutFuncFunctionsBecomeTypedefsAndPrototypesEnums() {
        Btf clean = BtfSanitizer.sanitize(btf, EnumSet.of(BtfFeature.FUNC));
        assertEquals(new BtfType.Typedef("observe", 33), clean.type(34));
        assertEquals(new BtfType.Enum("", 4, false, List.of(new BtfType.Enumerator("task", 30))), clean.type(33));
    }

    @Test
    void withoutGlobalFuncGlobalFunctionsBecomeStatic() {
        Btf clean = BtfSanitizer.sanitize(btf, EnumSet.of(BtfFeature.FUNC_GLOBAL));
        assertEquals(new BtfType.Func("observe", 33, BtfLinkage.STATIC), clean.type(34));
        assertEquals(btf.type(36), clean.type(36));
    }

    @Test
    void withoutFloatFloatsBecomeOpaqueStructsOfTheSameSize() {
        Btf clean = BtfSanitizer.sanitize(btf, EnumSet.of(BtfFeature.FLOAT));
        assertEquals(new BtfType.Struct("", 8, false, List.of()), clean.type(22));
        assertEquals(btf.resolveSize(11), clean.resolveSize(11));
    }

    @Test
    void withoutTagsDeclTagsBecomeBytesAndTypeTagsConst() {
        Btf clean = BtfSanitizer.sanitize(btf, EnumSet.of(BtfFeature.DECL_TAG, BtfFeature.TYPE_TAG));
        assertEquals(new BtfType.Int("", 1, 0, 0, 8), clean.type(12));
        assertEquals(new BtfType.Const("", 15), clean.type(26));
    }

    @Test
    void withoutEnum64ItBecomesAUnionOfOnePlaceholderAndSignedEnumsUnsigned() {
        Btf built = Btf.of(List.of(
                new BtfType.Enum64("big", 8, false, List.of(new BtfType.Enumerator("A", 1L << 40),
                        new BtfType.Enumerator("B", 2))),
                new BtfType.Enum("small", 4, true, List.of(new BtfType.Enumerator("NEG", -1)))));
        Btf clean = BtfSanitizer.sanitize(built, EnumSet.of(BtfFeature.ENUM64));
        assertEquals(3, clean.typeCount());
        assertEquals(new BtfType.Int(BtfSanitizer.ENUM64_PLACEHOLDER, 1, 0, 0, 8), clean.type(3));
        assertEquals(new BtfType.Union("big", 8, false, List.of(
                new BtfType.Member("A", 3, 0, 0), new BtfType.Member("B", 3, 0, 0))), clean.type(1));
        assertEquals(new BtfType.Enum("small", 4, false, List.of(new BtfType.Enumerator("NEG", -1))), clean.type(2));
    }

    @Test
    void everyCombinationRemovesItsKindsKeepsIdsAndWritesValidBtf() {
        BtfFeature[] features = BtfFeature.values();
        for (int mask = 1; mask < 1 << features.length; mask++) {
            Set<BtfFeature> missing = EnumSet.noneOf(BtfFeature.class);
            for (int i = 0; i < features.length; i++) {
                if ((mask & 1 << i) != 0) {
                    missing.add(features[i]);
                }
            }
            Btf clean = BtfSanitizer.sanitize(btf, missing);
            assertEquals(btf.typeCount(), clean.typeCount(), missing.toString());
            for (int id = 1; id <= clean.typeCount(); id++) {
                assertTrue(allowed(clean.type(id), missing), missing + " left " + clean.describe(id));
            }
            assertEquals(clean, Btf.parse(clean.toBytes()));
        }
    }

    private static boolean allowed(BtfType t, Set<BtfFeature> missing) {
        return switch (t.kind()) {
            case VAR, DATASEC -> !missing.contains(BtfFeature.DATASEC);
            case FUNC -> !missing.contains(BtfFeature.FUNC)
                    && (!missing.contains(BtfFeature.FUNC_GLOBAL) || ((BtfType.Func) t).linkage() != BtfLinkage.GLOBAL);
            case FUNC_PROTO -> !missing.contains(BtfFeature.FUNC);
            case FLOAT -> !missing.contains(BtfFeature.FLOAT);
            case DECL_TAG -> !missing.contains(BtfFeature.DECL_TAG);
            case TYPE_TAG -> !missing.contains(BtfFeature.TYPE_TAG);
            case ENUM64 -> !missing.contains(BtfFeature.ENUM64);
            case ENUM -> !missing.contains(BtfFeature.ENUM64) || !((BtfType.Enum) t).signed();
            default -> true;
        };
    }
}
