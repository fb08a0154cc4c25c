package io.reactorbpf.core.internal.btf;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.btf.BtfType.Member;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CoreCompatTest {

    private static final BtfType.Int INT = new BtfType.Int("int", 4, BtfType.Int.SIGNED, 0, 32);
    private static final BtfType.Int UINT = new BtfType.Int("unsigned int", 4, 0, 0, 32);
    private static final BtfType.Int CHAR = new BtfType.Int("char", 1, BtfType.Int.SIGNED | BtfType.Int.CHAR, 0, 8);

    /** Ids: 1 int, 2 unsigned int, 3 char, 4 struct s, 5 fwd s, 6 int *, 7 struct s *, 8 fwd s *, 9 int[4], 10 char[4]. */
    private static final Btf TYPES = Btf.of(List.of(INT, UINT, CHAR,
            new BtfType.Struct("s", 4, false, List.of(new Member("x", 1, 0, 0))),
            new BtfType.Fwd("s", false),
            new BtfType.Ptr("", 1), new BtfType.Ptr("", 4), new BtfType.Ptr("", 5),
            new BtfType.Array("", 1, 1, 4), new BtfType.Array("", 3, 1, 4)));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "task_struct___old, task_struct",
            "task_struct, task_struct",
            "a___b___c, a___b",
            "foo____bar, foo____bar",
            "foo___, foo___",
            "___foo, ___foo",
            "x___y, x"})
    void essentialNameDropsTheLastFlavorSuffix(String name, String essential) {
        assertEquals(essential, CoreCompat.essentialName(name));
    }

    @Test
    void integersOfAnySizeAndSignAreCompatibleFields() {
        assertTrue(CoreCompat.fieldsAreCompatible(TYPES, 1, TYPES, 3));
        assertTrue(CoreCompat.fieldsAreCompatible(TYPES, 1, TYPES, 2));
    }

    @Test
    void arraysAreCompatibleFieldsByElementType() {
        assertTrue(CoreCompat.fieldsAreCompatible(TYPES, 9, TYPES, 10));
        assertFalse(CoreCompat.fieldsAreCompatible(TYPES, 9, TYPES, 4));
    }

    @Test
    void pointersAreCompatibleByWhatTheyPointTo() {
        assertTrue(CoreCompat.typesAreCompatible(TYPES, 7, TYPES, 7));
        assertFalse(CoreCompat.typesAreCompatible(TYPES, 6, TYPES, 7));
    }

    @Test
    void structBehindAPointerMatchesItsForwardDeclaration() {
        assertTrue(CoreCompat.typesMatch(TYPES, 7, TYPES, 8));
        assertFalse(CoreCompat.typesMatch(TYPES, 4, TYPES, 5));
    }

    @Test
    void integersMatchOnlyWithTheSameSizeAndSign() {
        assertTrue(CoreCompat.typesMatch(TYPES, 1, TYPES, 1));
        assertFalse(CoreCompat.typesMatch(TYPES, 1, TYPES, 2));
    }
}
