package io.reactorbpf.core.object;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfKind;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.testing.ObjectBytes;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Objects damaged the way fuzzing damaged them: each is refused at open with an {@link ObjectFormatException} that
 * names the object, the section and the offending offset or size, instead of an index, cast or memory error.
 */
class MalformedObjectTest {

    private static final byte[] SMALL = TestObjects.bytes("loader_small");
    private static final byte[] CALLS = TestObjects.bytes("loader_calls");

    @Test
    void aRelocationOffsetThatOverflowsTheBoundsCheckIsRefused() {
        byte[] object = ObjectBytes.of(SMALL).relocationOffset(".relsocket", 0, 0x7ffffffffffffff8L).bytes();
        assertNames(refused(object), ".relsocket", "entry 0", "0x7ffffffffffffff8");
    }

    @Test
    void aMapsDatasecEntryThatIsNoVariableIsRefused() {
        ObjectBytes edit = ObjectBytes.of(SMALL);
        int intType = edit.btfId("unsigned int", BtfKind.INT);
        int datasec = edit.btfId(".maps", BtfKind.DATASEC);
        edit.btfWord(datasec, 12, intType);
        assertNames(refused(edit.bytes()), ".maps", "VAR", "INT");
    }

    @Test
    void aGlobalDataDatasecEntryThatIsNoVariableIsRefused() {
        ObjectBytes edit = ObjectBytes.of(SMALL);
        int intType = edit.btfId("unsigned int", BtfKind.INT);
        edit.btfWord(edit.btfId(".rodata", BtfKind.DATASEC), 12, intType);
        assertNames(refused(edit.bytes()), ".rodata", "VAR", "INT");
    }

    @Test
    void aMapInMapWhoseValuesPointBackAtItsOwnStructIsRefused() {
        ObjectBytes edit = ObjectBytes.of(CALLS);
        Btf btf = edit.btf();
        int outer = ((BtfType.Var) btf.type(edit.btfId("outer", BtfKind.VAR))).type();
        BtfType.Member values = ((BtfType.Struct) btf.type(outer)).members().stream()
                .filter(m -> m.name().equals("values")).findFirst().orElseThrow();
        int pointer = ((BtfType.Array) btf.type(values.type())).type();
        edit.btfWord(pointer, 8, outer);
        assertNames(refused(edit.bytes()), "outer", "map-in-map");
    }

    @Test
    void aBssClaimingTwoGigabytesInATenKilobyteFileIsRefusedWithoutAllocatingIt() {
        byte[] object = ObjectBytes.of(SMALL).sectionSize(".bss", 0x7fffff00L).bytes();
        assertNames(refused(object), ".bss", String.valueOf(0x7fffff00L), "MiB");
    }

    @Test
    void aFunctionSymbolBeforeTheStartOfItsSectionIsRefused() {
        byte[] object = ObjectBytes.of(SMALL).symbolValue("next", -8).symbolSize("next", 48).bytes();
        assertNames(refused(object), "next", ".text", "-8");
    }

    @Test
    void aFunctionSymbolWhoseEndOverflowsIsRefused() {
        byte[] object = ObjectBytes.of(SMALL).symbolValue("next", 8).symbolSize("next", Long.MAX_VALUE - 7).bytes();
        assertNames(refused(object), "next", ".text", String.valueOf(Long.MAX_VALUE - 7));
    }

    @Test
    void aVariableOfSizeMinusOneIsRefused() {
        ObjectBytes edit = ObjectBytes.of(SMALL);
        edit.btfWord(edit.btfId(".rodata", BtfKind.DATASEC), 20, -1);
        assertNames(refused(edit.bytes()), "step", ".rodata", "4294967295");
    }

    @Test
    void aVariableSymbolOutsideItsSectionIsRefusedWhenTheObjectHasNoBtf() {
        // without BTF the .maps section cannot be read either, so it is renamed out of the way too
        byte[] object = ObjectBytes.of(SMALL).renameSection(".BTF", ".BTX").renameSection(".maps", ".mapz")
                .symbolValue("step", 4096).bytes();
        assertNames(refused(object), "step", ".rodata", "4096");
    }

    @Test
    void theUndamagedObjectStillOpens() {
        assertEquals(8, BpfObject.open(SMALL, "loader_small").variable("step").bytes().length);
    }

    private static ObjectFormatException refused(byte[] object) {
        return assertThrows(ObjectFormatException.class, () -> BpfObject.open(object, "damaged"));
    }

    private static void assertNames(Exception e, String... parts) {
        assertTrue(e.getMessage().contains("object 'damaged'"), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
    }
}
