package io.reactorbpf.core.asm;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstructionTest {

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    @Property(tries = 300)
    void oneSlotInstructionSurvivesEncodeAndDecode(@ForAll @IntRange(max = 255) int opcode,
                                                   @ForAll @IntRange(max = 15) int dst,
                                                   @ForAll @IntRange(max = 15) int src,
                                                   @ForAll @IntRange(min = -32768, max = 32767) int off,
                                                   @ForAll int imm) {
        if (opcode == Opcode.LD_IMM64) {
            return;
        }
        Instruction i = Instruction.of(opcode, dst, src, off, imm);
        assertEquals(i, Instruction.decode(i.encode(), 0));
    }

    @Property(tries = 300)
    void ldImm64SurvivesEncodeAndDecode(@ForAll @IntRange(max = 15) int dst, @ForAll @IntRange(max = 6) int src,
                                        @ForAll long value) {
        Instruction i = Instruction.wide(dst, src, value);
        Instruction back = Instruction.decode(i.encode(), 0);
        assertEquals(i, back);
        assertEquals(value, back.imm64());
    }

    @Test
    void dstIsTheLowNibbleAndSrcTheHighNibbleOfTheSecondByte() {
        assertEquals("61 a1 f8 ff 00 00 00 00", HEX.formatHex(Instruction.of(0x61, 1, 10, -8, 0).encode()));
    }

    @Test
    void decodeAllReadsLdImm64AsOneInstruction() {
        byte[] code = HEX.parseHex("18 01 00 00 2a 00 00 00 00 00 00 00 01 00 00 00 95 00 00 00 00 00 00 00");
        List<Instruction> p = Instruction.decodeAll(code);
        assertEquals(2, p.size());
        assertEquals(0x1_0000_002aL, p.get(0).imm64());
        assertEquals(Opcode.JMP | Opcode.EXIT, p.get(1).opcode());
    }

    @Test
    void encodeOfAListIsTheInverseOfDecodeAll() {
        byte[] code = HEX.parseHex("18 11 00 00 05 00 00 00 00 00 00 00 00 00 00 00 b7 00 00 00 00 00 00 00"
                + " 95 00 00 00 00 00 00 00");
        assertEquals(HEX.formatHex(code), HEX.formatHex(Instruction.encode(Instruction.decodeAll(code))));
    }

    @Test
    void decodeRejectsAProgramThatIsNotWholeSlots() {
        AssemblyException e = assertThrows(AssemblyException.class, () -> Instruction.decodeAll(new byte[12]));
        assertTrue(e.getMessage().contains("12 bytes"), e.getMessage());
    }

    @Test
    void decodeRejectsLdImm64WithoutItsSecondSlot() {
        byte[] code = HEX.parseHex("18 01 00 00 2a 00 00 00");
        AssemblyException e = assertThrows(AssemblyException.class, () -> Instruction.decodeAll(code));
        assertTrue(e.getMessage().contains("second slot"), e.getMessage());
    }

    @Test
    void decodeRejectsLdImm64WhoseSecondSlotHasAnOpcode() {
        byte[] code = HEX.parseHex("18 01 00 00 2a 00 00 00 b7 00 00 00 00 00 00 00");
        assertThrows(AssemblyException.class, () -> Instruction.decodeAll(code));
    }

    @Test
    void decodeRejectsAnOffsetOutsideTheBytes() {
        assertThrows(AssemblyException.class, () -> Instruction.decode(new byte[8], 8));
    }

    @Test
    void ofRefusesLdImm64BecauseItTakesTwoSlots() {
        assertThrows(AssemblyException.class, () -> Instruction.of(Opcode.LD_IMM64, 1, 0, 0, 1));
    }

    @Test
    void ofRefusesARegisterBeyondFourBits() {
        AssemblyException e = assertThrows(AssemblyException.class, () -> Instruction.of(0xb7, 16, 0, 0, 0));
        assertTrue(e.getMessage().contains("16"), e.getMessage());
    }

    @Test
    void patchingReturnsACopyAndKeepsTheOriginal() {
        Instruction load = Instruction.wide(1, 0, 0);
        Instruction patched = load.withSrc(Pseudo.MAP_FD).withImm(7);
        assertEquals(0, load.src());
        assertEquals(Pseudo.MAP_FD, patched.src());
        assertEquals(7, patched.imm());
        assertEquals(2, patched.slots());
    }

    @Test
    void withImm64OnlyAppliesToLdImm64() {
        assertEquals(-1L, Instruction.wide(1, 0, 0).withImm64(-1L).imm64());
        assertThrows(AssemblyException.class, () -> Instruction.of(0xb7, 0, 0, 0, 0).withImm64(1));
    }

    @Test
    void imm64OfAOneSlotInstructionIsSignExtended() {
        assertEquals(-1L, Instruction.of(0xb7, 0, 0, 0, -1).imm64());
    }
}
