package io.reactorbpf.core.attach;

import io.reactorbpf.core.internal.elf.ElfFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UprobeTargetTest {

    @TempDir
    static Path dir;
    private static Path binary;
    private static Path pieBinary;

    @BeforeAll
    static void compile() {
        binary = ProbedBinary.compile(dir, false);
        pieBinary = ProbedBinary.compile(dir, true);
    }

    @Test
    void parsesPathFunctionAndHexOffset() {
        assertEquals(new UprobeTarget(Path.of("/usr/lib/libc.so.6"), "malloc", 16),
                UprobeTarget.parse("/usr/lib/libc.so.6:malloc+0x10"));
    }

    @Test
    void parsesPathAndFunctionWithoutOffset() {
        assertEquals(new UprobeTarget(Path.of("/bin/bash"), "readline", 0), UprobeTarget.parse("/bin/bash:readline"));
    }

    @Test
    void parsesDecimalOffsetAfterFunction() {
        assertEquals(12, UprobeTarget.parse("/bin/bash:readline+12").offset());
    }

    @Test
    void parsesPlainFileOffset() {
        UprobeTarget t = UprobeTarget.parse("/bin/bash:0x1234");
        assertNull(t.symbol());
        assertEquals(0x1234, t.offset());
    }

    @Test
    void printsWhatItParses() {
        for (String spec : new String[]{"/usr/lib/libc.so.6:malloc+0x10", "/bin/bash:readline", "/bin/bash:0x1234"}) {
            assertEquals(spec, UprobeTarget.parse(spec).toString());
        }
    }

    @Test
    void aLibraryNamedWithoutASlashIsFoundAsLibbpfFindsIt() throws Exception {
        UprobeTarget t = UprobeTarget.parse("libc.so.6:getpid");
        assertTrue(t.binary().isAbsolute() && t.binary().getFileName().toString().equals("libc.so.6"), t.toString());
        assertTrue(java.nio.file.Files.isSameFile(t.binary(), Path.of("/lib/x86_64-linux-gnu/libc.so.6"))
                || !System.getProperty("os.arch").equals("amd64"), t.toString());
        assertTrue(t.fileOffset() > 0, "getpid is found in it");
    }

    @Test
    void aProgramNamedWithoutASlashIsFoundInPath() {
        Path bash = UprobeTarget.parse("bash:readline").binary();
        assertTrue(bash.isAbsolute() && bash.endsWith("bash") && java.nio.file.Files.isExecutable(bash), bash.toString());
    }

    @Test
    void aNameFoundNowhereSaysWhereItWasLookedFor() {
        AttachTargetNotFoundException e = assertThrows(AttachTargetNotFoundException.class,
                () -> UprobeTarget.parse("libreactorbpf-none.so.1:f"));
        assertTrue(e.getMessage().startsWith("uprobe binary libreactorbpf-none.so.1 was not found: a library named"
                + " without a '/' is looked for in "), e.getMessage());
        assertTrue(e.getMessage().endsWith(":/usr/lib; give its full path"), e.getMessage());
    }

    @Test
    void malformedSpecsAreRefusedSayingWhy() {
        assertTrue(assertThrows(AttachException.class, () -> UprobeTarget.parse("/bin/bash")).getMessage()
                .contains("expected PATH:FUNCTION[+OFFSET] or PATH:OFFSET"));
        assertTrue(assertThrows(AttachException.class, () -> UprobeTarget.parse("/bin/bash:")).getMessage()
                .contains("'/bin/bash:'"));
        assertTrue(assertThrows(AttachException.class, () -> UprobeTarget.parse("/bin/bash:main+zz")).getMessage()
                .contains("'zz' is not a decimal or 0x-hex offset"));
        assertTrue(assertThrows(AttachException.class, () -> UprobeTarget.parse("/bin/bash:+4")).getMessage()
                .contains("function name before '+' is empty"));
    }

    @Test
    void symbolFileOffsetIsWhereObjdumpSaysTheFunctionStarts() {
        assertEquals(objdumpFileOffset(binary), new UprobeTarget(binary, ProbedBinary.FUNCTION, 0).fileOffset());
        assertEquals(objdumpFileOffset(pieBinary), new UprobeTarget(pieBinary, ProbedBinary.FUNCTION, 0).fileOffset());
    }

    @Test
    void offsetIsAddedToTheSymbol() {
        long start = new UprobeTarget(binary, ProbedBinary.FUNCTION, 0).fileOffset();
        assertEquals(start + 4, new UprobeTarget(binary, ProbedBinary.FUNCTION, 4).fileOffset());
    }

    @Test
    void exportedFunctionIsFoundInDynsymOnceSymtabIsStripped() throws IOException {
        Path exported = ProbedBinary.compileExported(dir);
        Path stripped = Files.copy(exported, dir.resolve("probed-stripped"));
        ProbedBinary.tool("strip", "--strip-all", stripped.toString());
        assertTrue(ElfFile.parseAnyMachine(Files.readAllBytes(stripped)).symbols().isEmpty(), "strip left a .symtab");
        long expected = new UprobeTarget(exported, ProbedBinary.FUNCTION, 0).fileOffset();
        assertEquals(expected, new UprobeTarget(stripped, ProbedBinary.FUNCTION, 0).fileOffset());
    }

    @Test
    void missingSymbolErrorNamesBinaryAndSymbol() {
        AttachTargetNotFoundException e = assertThrows(AttachTargetNotFoundException.class,
                () -> new UprobeTarget(binary, "no_such_function", 0).fileOffset());
        assertTrue(e.getMessage().contains("'no_such_function'") && e.getMessage().contains(binary.toString()), e.getMessage());
    }

    @Test
    void missingBinaryIsNamed() {
        Path missing = dir.resolve("absent");
        AttachTargetNotFoundException e = assertThrows(AttachTargetNotFoundException.class,
                () -> new UprobeTarget(missing, "main", 0).fileOffset());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void fileThatIsNotElfIsNamed() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a program");
        AttachException e = assertThrows(AttachException.class, () -> new UprobeTarget(text, "main", 0).fileOffset());
        assertTrue(e.getMessage().contains(text + " is not a readable ELF64 file"), e.getMessage());
    }

    @Test
    void fileOffsetWithoutSymbolIsTheOffsetItself() {
        assertEquals(0x1234, new UprobeTarget(dir.resolve("never-read"), null, 0x1234).fileOffset());
    }

    /** The file offset objdump -F prints for the function, an independent reading of the same ELF facts. */
    private static long objdumpFileOffset(Path file) {
        String out = ProbedBinary.tool("objdump", "-F", "-d", "--disassemble=" + ProbedBinary.FUNCTION, file.toString());
        Matcher m = Pattern.compile("<" + ProbedBinary.FUNCTION + "> \\(File Offset: 0x([0-9a-f]+)\\):").matcher(out);
        assertTrue(m.find(), out);
        return Long.parseLong(m.group(1), 16);
    }
}
