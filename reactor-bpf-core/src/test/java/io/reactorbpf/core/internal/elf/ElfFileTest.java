package io.reactorbpf.core.internal.elf;

import io.reactorbpf.core.ElfFormatException;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElfFileTest {

    static final String PROGRAM = "tracepoint/syscalls/sys_enter_getpid";

    static byte[] shapesObject() {
        try (InputStream in = ElfFileTest.class.getResourceAsStream("/bpf/btf_shapes.bpf.o")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private final ElfFile elf = ElfFile.parse(shapesObject());

    @Test
    void clangObjectIsARelocatableBpfObject() {
        assertEquals(ElfFile.EM_BPF, elf.machine());
        assertEquals(1, elf.type());
        assertEquals(31, elf.sections().size());
    }

    @Test
    void sectionsCarryTheirHeaderFields() {
        ElfSection text = elf.section(".text").orElseThrow();
        assertEquals(2, text.index());
        assertEquals(ElfSection.SHT_PROGBITS, text.type());
        assertEquals(56, text.size());
        assertEquals(8, text.alignment());
        assertTrue(text.isExecutable() && text.isAllocated() && !text.isWritable());

        ElfSection program = elf.section(PROGRAM).orElseThrow();
        assertEquals(3, program.index());
        assertEquals(288, program.size());

        ElfSection maps = elf.section(".maps").orElseThrow();
        assertEquals(32, maps.size());
        assertTrue(maps.isWritable() && !maps.isExecutable());

        ElfSection symtab = elf.section(".symtab").orElseThrow();
        assertEquals(ElfSection.SHT_SYMTAB, symtab.type());
        assertEquals(24, symtab.entrySize());
        assertEquals(elf.section(".strtab").orElseThrow().index(), symtab.link());
    }

    @Test
    void sectionDataIsTheBytesTheHeaderCovers() {
        ByteBuffer license = elf.section("license").orElseThrow().data();
        byte[] bytes = new byte[license.remaining()];
        license.get(bytes);
        assertArrayEquals("GPL\0".getBytes(StandardCharsets.US_ASCII), bytes);
        assertEquals(ByteOrder.LITTLE_ENDIAN, license.order());
        assertEquals(0xeb9f, elf.section(".BTF").orElseThrow().data().getShort(0) & 0xffff);
    }

    @Test
    void nobitsSectionHasSizeButNoData() {
        ElfSection bss = elf.section(".bss").orElseThrow();
        assertEquals(ElfSection.SHT_NOBITS, bss.type());
        assertEquals(16, bss.size());
        assertTrue(bss.hasNoData());
        assertEquals(0, bss.data().remaining());
    }

    @Test
    void sectionDataViewsAreReadOnlyAndIndependent() {
        ElfSection text = elf.section(".text").orElseThrow();
        ByteBuffer first = text.data();
        first.position(8);
        assertEquals(0, text.data().position());
        assertThrows(ReadOnlyBufferException.class, () -> first.put(0, (byte) 1));
    }

    @Test
    void unknownSectionNameIsEmpty() {
        assertFalse(elf.section(".no-such-section").isPresent());
    }

    @Test
    void symbolTableHasFunctionsAndVariablesWithTheirSections() {
        assertEquals(25, elf.symbols().size());
        ElfSymbol observe = symbol("observe");
        assertEquals(ElfSymbol.Type.FUNC, observe.type());
        assertEquals(ElfSymbol.Binding.GLOBAL, observe.binding());
        assertEquals(288, observe.size());
        assertEquals(3, observe.sectionIndex());

        ElfSymbol weigh = symbol("weigh");
        assertEquals(ElfSymbol.Type.FUNC, weigh.type());
        assertEquals(ElfSymbol.Binding.LOCAL, weigh.binding());
        assertEquals(56, weigh.size());
        assertEquals(".text", elf.section(weigh.sectionIndex()).name());

        ElfSymbol calls = symbol("calls");
        assertEquals(ElfSymbol.Type.OBJECT, calls.type());
        assertEquals(ElfSymbol.Binding.LOCAL, calls.binding());
        assertEquals(8, calls.value());
        assertEquals(".bss", elf.section(calls.sectionIndex()).name());

        ElfSymbol filter = symbol("filter_pid");
        assertEquals(".rodata", elf.section(filter.sectionIndex()).name());
        assertEquals(4, filter.size());
        assertEquals(ElfSymbol.Visibility.DEFAULT, filter.visibility());
        assertTrue(filter.isDefined());
    }

    @Test
    void nullAndSectionSymbolsAreKeptAtTheirIndexes() {
        ElfSymbol zero = elf.symbol(0);
        assertEquals("", zero.name());
        assertFalse(zero.isDefined());
        ElfSymbol text = elf.symbol(2);
        assertEquals(ElfSymbol.Type.SECTION, text.type());
        assertEquals("", text.name());
        assertEquals(".text", elf.section(text.sectionIndex()).name());
        assertEquals(ElfSymbol.Type.FILE, elf.symbol(1).type());
        assertEquals("btf_shapes.bpf.c", elf.symbol(1).name());
    }

    @Test
    void programRelocationsNameMapsGlobalsAndSubprogramCalls() {
        ElfRelocations rel = elf.relocationsFor(elf.section(PROGRAM).orElseThrow()).orElseThrow();
        assertEquals(".rel" + PROGRAM, rel.section().name());
        List<String> described = rel.entries().stream()
                .map(r -> r.offset() + " " + target(elf.symbol(r.symbolIndex())) + " " + r.type())
                .collect(Collectors.toList());
        assertEquals(List.of(
                "24 filter_pid 1",
                "96 shapes 1",
                "136 dropped 1",
                "176 section .bss 1",
                "208 section .text 10",
                "232 seen 1"), described);
    }

    @Test
    void everyRelocationSectionTargetsTheSectionItsInfoNames() {
        assertEquals(8, elf.relocations().size());
        for (ElfRelocations rel : elf.relocations()) {
            assertEquals(rel.section().info(), rel.targetSection().index());
            assertEquals(rel.section().size() / 16, rel.entries().size());
            assertTrue(rel.section().name().endsWith(rel.targetSection().name()), rel.section().name());
        }
    }

    @Test
    void parsingAByteBufferLeavesItsPositionAlone() {
        ByteBuffer buffer = ByteBuffer.wrap(shapesObject());
        ElfFile fromBuffer = ElfFile.parse(buffer);
        assertEquals(0, buffer.position());
        assertEquals(elf.sections().size(), fromBuffer.sections().size());
    }

    @Test
    void hostExecutableIsRejectedAsWhatItIs() {
        byte[] bytes = shapesObject();
        bytes[16] = 2;
        bytes[17] = 0;
        bytes[18] = 62;
        bytes[19] = 0;
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfFile.parse(bytes));
        assertTrue(e.getMessage().contains("this is an x86-64 executable, not a BPF object"), e.getMessage());
    }

    @Test
    void aarch64SharedObjectIsRejectedAsWhatItIs() {
        byte[] bytes = shapesObject();
        bytes[16] = 3;
        bytes[18] = (byte) 183;
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfFile.parse(bytes));
        assertTrue(e.getMessage().contains("an AArch64 shared object"), e.getMessage());
    }

    @Test
    void oldLlvmMachineNoneIsAccepted() {
        byte[] bytes = shapesObject();
        bytes[18] = 0;
        assertEquals(ElfFile.EM_NONE, ElfFile.parse(bytes).machine());
    }

    @Test
    void thirtyTwoBitAndBigEndianFilesAreRejected() {
        byte[] elf32 = shapesObject();
        elf32[4] = 1;
        assertTrue(assertThrows(ElfFormatException.class, () -> ElfFile.parse(elf32)).getMessage().contains("ELFCLASS64"));
        byte[] bigEndian = shapesObject();
        bigEndian[5] = 2;
        assertTrue(assertThrows(ElfFormatException.class, () -> ElfFile.parse(bigEndian)).getMessage().contains("little-endian"));
    }

    @Test
    void nonElfInputIsRejected() {
        byte[] text = "#!/bin/sh\necho this is a script, not an object, padded to sixty-four bytes".getBytes(StandardCharsets.US_ASCII);
        assertTrue(assertThrows(ElfFormatException.class, () -> ElfFile.parse(text)).getMessage().contains("no ELF magic"));
        assertTrue(assertThrows(ElfFormatException.class, () -> ElfFile.parse(new byte[10])).getMessage().contains("ELF header"));
    }

    @Test
    void sectionDataOutsideTheFileNamesTheSection() {
        byte[] bytes = shapesObject();
        long shoff = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(40);
        int textHeader = (int) shoff + 2 * 64;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(textHeader + 24, bytes.length - 8L);
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfFile.parse(bytes));
        assertTrue(e.getMessage().contains("section [2] '.text'"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(bytes.length - 8L)), e.getMessage());
    }

    @Test
    void relocationAgainstAMissingSymbolNamesTheEntry() {
        byte[] bytes = shapesObject();
        ElfSection rel = elf.section(".rel" + PROGRAM).orElseThrow();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt((int) rel.offset() + 16 + 12, 999);
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfFile.parse(bytes));
        assertTrue(e.getMessage().contains("entry 1") && e.getMessage().contains("symbol index 999"), e.getMessage());
    }

    @Test
    void outOfRangeLookupsAreFormatErrors() {
        assertThrows(ElfFormatException.class, () -> elf.section(31));
        assertThrows(ElfFormatException.class, () -> elf.symbol(-1));
    }

    /** Section symbols are unnamed in ELF; they stand for their section. */
    private String target(ElfSymbol symbol) {
        return symbol.type() == ElfSymbol.Type.SECTION
                ? "section " + elf.section(symbol.sectionIndex()).name() : symbol.name();
    }

    private ElfSymbol symbol(String name) {
        return elf.symbols().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
