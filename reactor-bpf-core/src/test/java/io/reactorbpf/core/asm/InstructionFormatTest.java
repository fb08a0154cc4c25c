package io.reactorbpf.core.asm;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static io.reactorbpf.core.asm.Register.FP;
import static io.reactorbpf.core.asm.Register.R0;
import static io.reactorbpf.core.asm.Register.R1;
import static io.reactorbpf.core.asm.Register.R2;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Instructions print as the verifier log prints them. */
class InstructionFormatTest {

    private static String first(UnaryOperator<Assembler> program) {
        List<Instruction> p = program.apply(new Assembler()).instructions();
        return p.get(0).toString();
    }

    @Test
    void loadFromTheStack() {
        assertEquals("r1 = *(u32 *)(r10 -8)", first(a -> a.ldx(Size.W, R1, FP, -8)));
    }

    @Test
    void storeRegisterAndImmediate() {
        assertEquals("*(u64 *)(r10 -16) = r2", first(a -> a.stx(Size.DW, FP, -16, R2)));
        assertEquals("*(u16 *)(r1 +2) = 7", first(a -> a.st(Size.H, R1, 2, 7)));
    }

    @Test
    void aluOnWholeAndWordRegisters() {
        assertEquals("r0 *= 7", first(a -> a.alu64(AluOp.MUL, R0, 7)));
        assertEquals("w1 += w2", first(a -> a.alu32(AluOp.ADD, R1, R2)));
        assertEquals("r1 = r2", first(a -> a.mov64(R1, R2)));
        assertEquals("r1 = -r1", first(a -> a.neg64(R1)));
        assertEquals("r1 = be16 r1", first(a -> a.toBe(R1, 16)));
    }

    @Test
    void atomicAdd() {
        assertEquals("lock *(u64 *)(r10 -8) += r1", first(a -> a.atomicAdd(Size.DW, FP, -8, R1)));
    }

    @Test
    void ldImm64Forms() {
        assertEquals("r1 = 0x2a ll", first(a -> a.ldImm64(R1, 42)));
        assertEquals("r1 = map_fd(5)", first(a -> a.ldMapFd(R1, 5)));
        assertEquals("r1 = map_value(fd 5) + 16", first(a -> a.ldMapValue(R1, 5, 16)));
    }

    @Test
    void jumpsShowTheirTargetRelativeToTheNextInstruction() {
        assertEquals("if r1 == 0x0 goto pc+1", first(a -> a.jeq(R1, 0, "out").mov64(R0, 1).label("out").exit()));
        assertEquals("if w1 s< w2 goto pc+0",
                first(a -> a.jmp32(JumpOp.JSLT, R1, R2, "out").label("out").exit()));
        assertEquals("goto pc-1", first(a -> a.label("self").ja("self")));
    }

    @Test
    void callsNameTheHelper() {
        assertEquals("call map_update_elem#2", first(a -> a.call(BpfFunc.MAP_UPDATE_ELEM)));
        assertEquals("call #9999", first(a -> a.call(9999)));
        assertEquals("call pc+1", first(a -> a.call("sub").exit().label("sub").exit()));
    }

    @Test
    void exit() {
        assertEquals("exit", first(Assembler::exit));
    }

    @Test
    void unknownOpcodePrintsItsFields() {
        assertEquals("invalid opcode 0xff (dst r1, src r2, off 3, imm 4)", Instruction.of(0xff, 1, 2, 3, 4).toString());
    }
}
