package io.reactorbpf.core.internal.elf;

import io.reactorbpf.core.ElfFormatException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JVM's own HotSpot probes, as the libjvm.so running this test declares them, and malformed notes. */
class StapsdtNoteTest {

    private static final Path LIBJVM = Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so");

    @Test
    void everyHotspotProbeOfLibjvmLiesInExecutableCodeAndItsArgumentsParse() throws IOException {
        ElfFile elf = ElfFile.parseAnyMachine(Files.readAllBytes(LIBJVM));
        List<StapsdtNote> probes = StapsdtNote.read(elf);

        assertTrue(probes.size() > 100, "libjvm.so declares " + probes.size() + " probes");
        assertTrue(probes.stream().anyMatch(p -> p.provider().equals("hotspot") && p.name().equals("gc__begin")),
                "hotspot:gc__begin is among them");
        for (StapsdtNote p : probes) {
            assertTrue(elf.segments().stream().anyMatch(s -> s.mapsFileBytesAt(p.address())
                    && (s.flags() & ElfSegment.PF_X) != 0), p + " is not in executable code");
            List<UsdtArgument> arguments = UsdtArgument.parse(p.arguments());
            assertEquals(p.arguments().isBlank() ? 0 : p.arguments().trim().split("\\s+").length, arguments.size(),
                    p.toString());
        }
    }

    @Test
    void aNoteRunningPastItsSectionIsRefusedNamingIt() throws IOException {
        byte[] image = Files.readAllBytes(LIBJVM);
        ElfSection notes = ElfFile.parseAnyMachine(image).section(StapsdtNote.SECTION).orElseThrow();
        // the first note's descriptor size, made larger than the section
        ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putInt((int) notes.offset() + 4, 1 << 30);

        ElfFormatException e = assertThrows(ElfFormatException.class,
                () -> StapsdtNote.read(ElfFile.parseAnyMachine(image)));
        assertTrue(e.getMessage().contains(".note.stapsdt: the note at offset 0 claims 8 name and 1073741824"
                + " descriptor bytes, past the section's end"), e.getMessage());
    }

    @Test
    void argumentsInTheThreeFormsLibbpfReads() {
        assertEquals(List.of(new UsdtArgument(UsdtArgument.Kind.REGISTER, 4, true, "edi", 0),
                        new UsdtArgument(UsdtArgument.Kind.REGISTER_DEREF, 8, false, "rbp", -16),
                        new UsdtArgument(UsdtArgument.Kind.REGISTER_DEREF, 2, false, "rax", 0),
                        new UsdtArgument(UsdtArgument.Kind.CONSTANT, 1, true, "", 5)),
                UsdtArgument.parse(" -4@%edi 8@-16(%rbp)  2@(%rax) -1@$5 "));
        assertFalse(UsdtArgument.parse("").iterator().hasNext());
    }

    @Test
    void anArgumentInNoFormOrOfAnOddSizeIsRefusedNamingIt() {
        assertEquals("USDT argument '8@foo(%rip)' is none of SIZE@$CONSTANT, SIZE@%REGISTER and"
                        + " SIZE@OFFSET(%REGISTER)",
                assertThrows(IllegalArgumentException.class, () -> UsdtArgument.parse("8@foo(%rip)")).getMessage());
        assertEquals("USDT argument '3@%eax' has size 3; a size is 1, 2, 4 or 8 bytes, negative when signed",
                assertThrows(IllegalArgumentException.class, () -> UsdtArgument.parse("3@%eax")).getMessage());
    }
}
