package io.reactorbpf.core.object;

import io.reactorbpf.core.ElfFormatException;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.sys.ProgType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Opening objects: what the ELF sections, symbols, relocations and BTF become, without touching the kernel. */
class ObjectSpecTest {

    private final ObjectSpec calls = TestObjects.open("loader_calls");

    @Test
    void everyGlobalFunctionOutsideTextIsAProgram() {
        assertEquals(List.of("on_getpgid", "on_getppid", "xdp_calc", "socket_calc", "not_autoloaded"),
                calls.programs().stream().map(ProgramSpec::name).toList());
        assertEquals(ProgType.TRACEPOINT, calls.program("on_getpgid").type());
        assertEquals("syscalls/sys_enter_getppid", calls.program("on_getppid").attachTarget());
        assertEquals(ProgType.SOCKET_FILTER, calls.program("socket_calc").type());
    }

    @Test
    void questionMarkSectionProgramIsNotAutoloaded() {
        assertFalse(calls.program("not_autoloaded").autoload());
        assertTrue(calls.program("xdp_calc").autoload());
    }

    @Test
    void licenseComesFromTheLicenseSection() {
        assertEquals("GPL", calls.license());
    }

    @Test
    void btfMapDefinitionsGiveTypeSizesAndEntries() {
        MapSpec hash = calls.map("calls");
        assertEquals(MapType.HASH, hash.type());
        assertEquals(4, hash.keySize());
        assertEquals(8, hash.valueSize());
        assertEquals(64, hash.maxEntries());
        assertTrue(hash.btfKeyTypeId() > 0 && hash.btfValueTypeId() > 0, "key and value BTF type ids recorded");
        assertEquals(MapType.PERCPU_ARRAY, calls.map("per_cpu").type());
    }

    @Test
    void perfEventArrayWithoutMaxEntriesGetsOneSlotPerPossibleCpu() {
        MapSpec events = calls.map("events");
        assertEquals(0, events.maxEntries());
        assertEquals(io.reactorbpf.core.sys.CpuSet.possible().span(), ObjectLoader.maxEntries(events));
        assertEquals(4, events.keySize());
        assertEquals(4, events.valueSize());
    }

    @Test
    void ringBufferSizeIsRoundedUpToAPowerOfTwoPageMultiple() {
        int size = ObjectLoader.maxEntries(calls.map("ring"));
        assertEquals(0, size & (size - 1), "power of two");
        assertEquals(0, size % io.reactorbpf.core.sys.Kernel.pageSize(), "page multiple");
        assertTrue(size >= 5000);
    }

    @Test
    void pinByNameIsRecorded() {
        ObjectSpec spec = BpfObject.open(TestObjects.bytes("loader_calls"), "loader_calls");
        assertTrue(spec.map("loader_pinned").pinnedByName());
        spec.map("loader_pinned").pinPath(null);
        assertFalse(spec.map("loader_pinned").pinnedByName(), "an explicit pin path overrides pinning by name");
        assertFalse(calls.map("calls").pinnedByName());
    }

    @Test
    void mapInMapHasItsInnerTemplateAndInitialSlots() {
        MapSpec outer = calls.map("outer");
        assertEquals(MapType.ARRAY_OF_MAPS, outer.type());
        assertEquals(4, outer.valueSize());
        assertEquals(MapType.ARRAY, outer.inner().type());
        assertEquals(8, outer.inner().valueSize());
        assertEquals(Map.of(0, "inner_a", 2, "inner_b"), outer.initialSlots());
    }

    @Test
    void globalDataSectionsBecomeOneEntryArrayMapsNamedAfterTheObject() {
        MapSpec rodata = calls.map("loader_c.rodata");
        assertEquals(MapType.ARRAY, rodata.type());
        assertEquals(1, rodata.maxEntries());
        assertEquals(24, rodata.valueSize());
        assertEquals(MapSpec.F_MMAPABLE | MapSpec.F_RDONLY_PROG, rodata.flags());
        assertEquals(MapSpec.F_MMAPABLE, calls.map("loader_c.bss").flags());
        assertEquals(32, calls.map("loader_c.bss").valueSize());
        assertTrue(calls.map("loader_c.bss").isGlobalData());
    }

    @Test
    void internalMapNamesFitFifteenBytes() {
        assertEquals("loader_c.rodata", ObjectReader.internalMapName("loader_calls", ".rodata"));
        assertEquals("loader_c.bss", ObjectReader.internalMapName("loader_calls", ".bss"));
        assertEquals("l.rodata.str1.1", ObjectReader.internalMapName("loader_calls", ".rodata.str1.1"));
        for (String section : List.of(".data", ".bss", ".rodata", ".rodata.cst16", ".data.very_long_section_name")) {
            assertTrue(ObjectReader.internalMapName("a_rather_long_object_name", section).length() <= 15, section);
        }
    }

    @Test
    void variablesAreLaidOutFromTheSymbolTable() {
        assertEquals(0, calls.variable("target_pid").offset());
        assertEquals(8, calls.variable("multiplier").offset());
        assertEquals(16, calls.variable("tag").offset());
        assertEquals(".bss", calls.variable("xdp_result").section());
        assertEquals(16, calls.variable("xdp_result").offset());
        assertEquals(7, calls.variable("data_counter").getLong());
        assertEquals("none", calls.variable("tag").getString());
    }

    @Test
    void settingAVariableWritesTheInitialSectionContents() {
        calls.variable("multiplier").set(3);
        calls.variable("tag").set("abc");
        assertEquals(3, calls.variable("multiplier").getLong());
        assertEquals("abc", calls.variable("tag").getString());
        byte[] expected = new byte[8];
        expected[0] = 3;
        assertArrayEquals(expected, calls.variable("multiplier").bytes());
    }

    @Test
    void unknownVariableNameListsTheKnownOnes() {
        VariableException e = assertThrows(VariableException.class, () -> calls.variable("min_duration_ns"));
        assertTrue(e.getMessage().contains("min_duration_ns"), e.getMessage());
        assertTrue(e.getMessage().contains("target_pid"), e.getMessage());
    }

    @Test
    void wrongSizedBytesAreRefused() {
        VariableException e = assertThrows(VariableException.class, () -> calls.variable("target_pid").set(new byte[8]));
        assertTrue(e.getMessage().contains("target_pid") && e.getMessage().contains("4 bytes"), e.getMessage());
    }

    @Test
    void valueOutOfRangeForTheTypeIsRefused() {
        assertThrows(VariableException.class, () -> calls.variable("target_pid").set(1L << 33));
        assertThrows(VariableException.class, () -> calls.variable("target_pid").set(-1));
    }

    @Test
    void stringIntoAnIntegerAndIntegerIntoAStringAreRefused() {
        assertThrows(VariableException.class, () -> calls.variable("target_pid").set("12"));
        assertThrows(VariableException.class, () -> calls.variable("tag").set(1));
        assertThrows(VariableException.class, () -> calls.variable("tag").set("more than seven"));
    }

    @Test
    void unknownSectionIsATypedError() {
        UnknownSectionException e = assertThrows(UnknownSectionException.class,
                () -> TestObjects.open("loader_unknown_section"));
        assertEquals("frobnicate/now", e.section());
        assertTrue(e.getMessage().contains("mystery"), e.getMessage());
    }

    @Test
    void relocationToAMapTheObjectDoesNotDefineNamesProgramInstructionAndSymbol() {
        RelocationException e = assertThrows(RelocationException.class, () -> TestObjects.open("loader_missing_map"));
        assertTrue(e.getMessage().contains("'uses_missing'"), e.getMessage());
        assertTrue(e.getMessage().contains("instruction"), e.getMessage());
        assertTrue(e.getMessage().contains("'elsewhere'"), e.getMessage());
    }

    @Test
    void truncatedElfIsATypedError() {
        byte[] whole = TestObjects.bytes("loader_calls");
        assertThrows(ElfFormatException.class, () -> BpfObject.open(Arrays.copyOf(whole, 40), "short"));
        assertThrows(ElfFormatException.class, () -> BpfObject.open(Arrays.copyOf(whole, whole.length / 2), "half"));
    }

    @Test
    void malformedElfAndBtfErrorsNameTheObjectAndWhere(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        byte[] whole = TestObjects.bytes("loader_calls");
        ElfFormatException named = assertThrows(ElfFormatException.class,
                () -> BpfObject.open(Arrays.copyOf(whole, 40), "short"));
        assertTrue(named.getMessage().startsWith("object 'short': ELF header: "), named.getMessage());
        java.nio.file.Path file = dir.resolve("half.bpf.o");
        java.nio.file.Files.write(file, Arrays.copyOf(whole, whole.length / 2));
        ElfFormatException path = assertThrows(ElfFormatException.class, () -> BpfObject.open(file));
        assertTrue(path.getMessage().startsWith("object " + file + ": ") && path.getMessage().contains("offset"),
                path.getMessage());
        byte[] badBtf = whole.clone();
        int btf = indexOf(badBtf, new byte[] {(byte) 0x9f, (byte) 0xeb, 1, 0});
        assertTrue(btf > 0, "the object has a .BTF section");
        badBtf[btf + 2] = 9;
        io.reactorbpf.core.btf.BtfFormatException version = assertThrows(io.reactorbpf.core.btf.BtfFormatException.class,
                () -> BpfObject.open(badBtf, "badbtf"));
        assertTrue(version.getMessage().startsWith("object 'badbtf': "), version.getMessage());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void notAnElfFileIsATypedError() {
        assertThrows(ElfFormatException.class, () -> BpfObject.open(new byte[128], "zeros"));
    }

    @Test
    void unknownProgramAndMapNamesListWhatExists() {
        ObjectFormatException p = assertThrows(ObjectFormatException.class, () -> calls.program("nope"));
        assertTrue(p.getMessage().contains("xdp_calc"), p.getMessage());
        ObjectFormatException m = assertThrows(ObjectFormatException.class, () -> calls.map("nope"));
        assertTrue(m.getMessage().contains("calls"), m.getMessage());
    }
}
