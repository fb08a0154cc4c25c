package io.reactorbpf.core.asm;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.function.UnaryOperator;

import static io.reactorbpf.core.asm.Register.FP;
import static io.reactorbpf.core.asm.Register.R0;
import static io.reactorbpf.core.asm.Register.R1;
import static io.reactorbpf.core.asm.Register.R2;
import static io.reactorbpf.core.asm.Register.R3;
import static io.reactorbpf.core.asm.Register.R4;
import static io.reactorbpf.core.asm.Register.R5;
import static io.reactorbpf.core.asm.Register.R9;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each builder method emits the bytes LLVM's BPF assembler ({@code llvm-mc -triple bpfel -show-encoding})
 * gives for the same instruction; pseudo instructions follow linux/bpf.h's description of their fields.
 */
class AssemblerEncodingTest {

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private static void assertBytes(String expected, UnaryOperator<Assembler> program) {
        assertEquals(expected, HEX.formatHex(program.apply(new Assembler()).build()));
    }

    @Test
    void mov64Immediate() {
        assertBytes("b7 00 00 00 06 00 00 00", a -> a.mov64(R0, 6));
    }

    @Test
    void mov64Register() {
        assertBytes("bf 21 00 00 00 00 00 00", a -> a.mov64(R1, R2));
    }

    @Test
    void mov32Immediate() {
        assertBytes("b4 02 00 00 05 00 00 00", a -> a.mov32(R2, 5));
    }

    @Test
    void alu64WithImmediate() {
        assertBytes("27 00 00 00 07 00 00 00", a -> a.alu64(AluOp.MUL, R0, 7));
        assertBytes("77 01 00 00 03 00 00 00", a -> a.alu64(AluOp.RSH, R1, 3));
        assertBytes("c7 01 00 00 03 00 00 00", a -> a.alu64(AluOp.ARSH, R1, 3));
    }

    @Test
    void alu64NegativeImmediateIsTwosComplement() {
        assertBytes("47 03 00 00 ff ff ff ff", a -> a.alu64(AluOp.OR, R3, -1));
    }

    @Test
    void alu64WithRegister() {
        assertBytes("3f 10 00 00 00 00 00 00", a -> a.alu64(AluOp.DIV, R0, R1));
    }

    @Test
    void alu32WithRegister() {
        assertBytes("0c 32 00 00 00 00 00 00", a -> a.alu32(AluOp.ADD, R2, R3));
        assertBytes("6c 43 00 00 00 00 00 00", a -> a.alu32(AluOp.LSH, R3, R4));
    }

    @Test
    void alu32WithImmediate() {
        assertBytes("14 00 00 00 01 00 00 00", a -> a.alu32(AluOp.SUB, R0, 1));
        assertBytes("a4 01 00 00 ff 00 00 00", a -> a.alu32(AluOp.XOR, R1, 255));
    }

    @Test
    void neg64() {
        assertBytes("87 01 00 00 00 00 00 00", a -> a.neg64(R1));
    }

    @Test
    void byteSwaps() {
        assertBytes("dc 01 00 00 10 00 00 00", a -> a.toBe(R1, 16));
        assertBytes("d4 01 00 00 40 00 00 00", a -> a.toLe(R1, 64));
    }

    @Test
    void ldxLoadsFromMemory() {
        assertBytes("61 a1 f8 ff 00 00 00 00", a -> a.ldx(Size.W, R1, FP, -8));
        assertBytes("79 15 ff 7f 00 00 00 00", a -> a.ldx(Size.DW, R5, R1, 32767));
    }

    @Test
    void stxStoresARegister() {
        assertBytes("7b 3a f0 ff 00 00 00 00", a -> a.stx(Size.DW, FP, -16, R3));
        assertBytes("73 92 00 80 00 00 00 00", a -> a.stx(Size.B, R2, -32768, R9));
    }

    @Test
    void stStoresAnImmediate() {
        assertBytes("6a 01 02 00 07 00 00 00", a -> a.st(Size.H, R1, 2, 7));
    }

    @Test
    void atomicAdd() {
        assertBytes("db 1a f8 ff 00 00 00 00", a -> a.atomicAdd(Size.DW, FP, -8, R1));
        assertBytes("c3 21 04 00 00 00 00 00", a -> a.atomicAdd(Size.W, R1, 4, R2));
    }

    @Test
    void ldImm64TakesTwoSlotsWithTheUpperHalfInTheSecond() {
        assertBytes("18 01 00 00 f0 de bc 9a 00 00 00 00 78 56 34 12",
                a -> a.ldImm64(R1, 0x123456789abcdef0L));
    }

    @Test
    void ldMapFdMarksSrcAsPseudoMapFd() {
        assertBytes("18 11 00 00 05 00 00 00 00 00 00 00 00 00 00 00", a -> a.ldMapFd(R1, 5));
    }

    @Test
    void ldMapValueCarriesTheOffsetInTheSecondSlot() {
        assertBytes("18 21 00 00 05 00 00 00 00 00 00 00 10 00 00 00", a -> a.ldMapValue(R1, 5, 16));
    }

    @Test
    void ldBtfIdMarksSrcAsPseudoBtfId() {
        assertBytes("18 32 00 00 e8 03 00 00 00 00 00 00 00 00 00 00", a -> a.ldBtfId(R2, 1000));
    }

    @Test
    void callHelper() {
        assertBytes("85 00 00 00 01 00 00 00", a -> a.call(BpfFunc.MAP_LOOKUP_ELEM));
        assertBytes("85 00 00 00 82 00 00 00", a -> a.call(130));
    }

    @Test
    void callKfuncMarksSrcAndCarriesTheBtfFdIndexInOff() {
        assertBytes("85 20 02 00 e8 03 00 00", a -> a.callKfunc(1000, 2));
    }

    @Test
    void exit() {
        assertBytes("95 00 00 00 00 00 00 00", Assembler::exit);
    }

    @Test
    void conditionalJumpWithImmediate() {
        assertBytes("15 01 00 00 00 00 00 00 95 00 00 00 00 00 00 00", a -> a.jeq(R1, 0, "out").label("out").exit());
        assertBytes("c5 01 00 00 05 00 00 00 95 00 00 00 00 00 00 00",
                a -> a.jmp(JumpOp.JSLT, R1, 5, "out").label("out").exit());
    }

    @Test
    void conditionalJumpWithRegister() {
        assertBytes("5d 54 00 00 00 00 00 00 95 00 00 00 00 00 00 00", a -> a.jne(R4, R5, "out").label("out").exit());
    }

    @Test
    void jmp32ComparesWordRegisters() {
        assertBytes("2e 21 00 00 00 00 00 00 95 00 00 00 00 00 00 00",
                a -> a.jmp32(JumpOp.JGT, R1, R2, "out").label("out").exit());
        assertBytes("76 03 00 00 fb ff ff ff 95 00 00 00 00 00 00 00",
                a -> a.jmp32(JumpOp.JSGE, R3, -5, "out").label("out").exit());
    }
}
