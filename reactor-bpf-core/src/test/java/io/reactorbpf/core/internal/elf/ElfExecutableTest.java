package io.reactorbpf.core.internal.elf;

import io.reactorbpf.core.internal.elf.ElfFileTest;
import io.reactorbpf.core.ElfFormatException;
import io.reactorbpf.core.internal.elf.ElfSection;
import io.reactorbpf.core.internal.elf.ElfSegment;
import io.reactorbpf.core.internal.elf.ElfSymbol;
import io.reactorbpf.core.internal.elf.ElfFile;
import io.reactorbpf.core.attach.ProbedBinary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ElfFile#parseAnyMachine} on executables gcc builds for this machine. */
class ElfExecutableTest {

    private static final int EM_X86_64 = 62;
    private static final int EM_AARCH64 = 183;

    @TempDir
    static Path dir;
    private static byte[] executable;
    private static byte[] pie;

    @BeforeAll
    static void compile() throws IOException {
        executable = Files.readAllBytes(ProbedBinary.compile(dir, false));
        pie = Files.readAllBytes(ProbedBinary.compile(dir, true));
    }

    @Test
    void strictParseStillRefusesExecutables() {
        assertThrows(ElfFormatException.class, () -> ElfFile.parse(executable));
    }

    @Test
    void readsMachineAndTypeOfExecutableAndPie() {
        ElfFile exec = ElfFile.parseAnyMachine(executable);
        assertTrue(exec.machine() == EM_X86_64 || exec.machine() == EM_AARCH64, "machine " + exec.machine());
        assertEquals(2, exec.type());
        assertEquals(3, ElfFile.parseAnyMachine(pie).type());
    }

    @Test
    void everySectionWithFileBytesInALoadableSegmentMapsBackToItsOwnOffset() {
        for (byte[] image : new byte[][]{executable, pie}) {
            ElfFile elf = ElfFile.parseAnyMachine(image);
            ElfSection text = elf.section(".text").orElseThrow();
            ElfSegment code = elf.segments().stream()
                    .filter(s -> s.type() == ElfSegment.PT_LOAD && (s.flags() & ElfSegment.PF_X) != 0)
                    .findFirst().orElseThrow();
            long textAddress = text.offset() - code.offset() + code.vaddr();
            assertEquals(text.offset(), elf.fileOffsetOf(textAddress).getAsLong());
            assertEquals(text.offset() + text.size() - 1, elf.fileOffsetOf(textAddress + text.size() - 1).getAsLong());
        }
    }

    @Test
    void functionSymbolLiesInsideTextOnceTranslated() {
        ElfFile elf = ElfFile.parseAnyMachine(pie);
        ElfSymbol probed = elf.symbols().stream().filter(s -> s.name().equals(ProbedBinary.FUNCTION)).findFirst().orElseThrow();
        assertEquals(ElfSymbol.Type.FUNC, probed.type());
        ElfSection text = elf.section(".text").orElseThrow();
        long offset = elf.fileOffsetOf(probed.value()).getAsLong();
        assertTrue(offset >= text.offset() && offset + probed.size() <= text.offset() + text.size(), "offset " + offset);
    }

    @Test
    void dynamicSymbolsListTheImportedLibcFunctions() {
        ElfFile elf = ElfFile.parseAnyMachine(executable);
        assertTrue(elf.dynamicSymbols().stream().anyMatch(s -> s.name().contains("scanf") && !s.isDefined()),
                elf.dynamicSymbols().toString());
    }

    @Test
    void addressOutsideEveryLoadableSegmentHasNoFileOffset() {
        assertFalse(ElfFile.parseAnyMachine(executable).fileOffsetOf(0x7fff_ffff_0000L).isPresent());
    }

    @Test
    void bpfObjectHasNoSegmentsAndAnyMachineParseReadsNoRelocations() {
        byte[] object = ElfFileTest.shapesObject();
        assertTrue(ElfFile.parse(object).segments().isEmpty());
        assertFalse(ElfFile.parse(object).relocations().isEmpty());
        ElfFile any = ElfFile.parseAnyMachine(object);
        assertTrue(any.segments().isEmpty() && any.relocations().isEmpty());
        assertEquals(ElfFile.parse(object).symbols(), any.symbols());
    }

    @Test
    void wrongProgramHeaderSizeIsNamed() {
        byte[] bad = executable.clone();
        bad[54] = 40;
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfFile.parseAnyMachine(bad));
        assertTrue(e.getMessage().contains("e_phentsize is 40, expected 56"), e.getMessage());
    }

    @Test
    void programHeadersPastTheEndOfTheFileAreNamed() {
        byte[] bad = executable.clone();
        bad[56] = (byte) 0xfe;
        bad[57] = (byte) 0xff;
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfFile.parseAnyMachine(bad));
        assertTrue(e.getMessage().contains("65534 program headers"), e.getMessage());
    }

    @Test
    void nonElfIsReportedWithoutClaimingToWantABpfObject() {
        ElfFormatException e = assertThrows(ElfFormatException.class, () -> ElfFile.parseAnyMachine(new byte[100]));
        assertTrue(e.getMessage().contains("this is not an ELF64 little-endian file"), e.getMessage());
    }
}
