package io.reactorbpf.core.asm;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.reactorbpf.core.asm.Register.R0;
import static io.reactorbpf.core.asm.Register.R1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AssemblerLabelTest {

    @Test
    void forwardJumpSkipsTheInstructionsBeforeTheLabel() {
        List<Instruction> p = new Assembler().jeq(R1, 0, "out").mov64(R0, 1).mov64(R0, 2).label("out").exit()
                .instructions();
        assertEquals(2, p.get(0).off());
    }

    @Test
    void backwardJumpCountsFromTheInstructionAfterIt() {
        List<Instruction> p = new Assembler().label("top").mov64(R0, 1).ja("top").exit().instructions();
        assertEquals(-2, p.get(1).off());
    }

    @Test
    void jumpToTheNextInstructionHasOffsetZero() {
        List<Instruction> p = new Assembler().ja("next").label("next").exit().instructions();
        assertEquals(0, p.get(0).off());
    }

    @Test
    void ldImm64CountsAsTwoSlots() {
        List<Instruction> p = new Assembler().ja("out").ldImm64(R1, 1).label("out").exit().instructions();
        assertEquals(2, p.get(0).off());
    }

    @Test
    void jumpBackOverLdImm64CountsBothSlots() {
        List<Instruction> p = new Assembler().label("top").ldImm64(R1, 1).jeq(R1, 0, "top").exit().instructions();
        assertEquals(-3, p.get(1).off());
    }

    @Test
    void bpfToBpfCallCarriesTheDistanceInImm() {
        List<Instruction> p = new Assembler().call("sub").exit().label("sub").mov64(R0, 0).exit().instructions();
        assertEquals(Pseudo.CALL, p.get(0).src());
        assertEquals(1, p.get(0).imm());
    }

    @Test
    void ldFuncCarriesTheDistanceFromItsFirstSlotInImm() {
        List<Instruction> p = new Assembler().ldFunc(R1, "cb").exit().label("cb").exit().instructions();
        assertEquals(Pseudo.FUNC, p.get(0).src());
        assertEquals(2, p.get(0).imm());
    }

    @Test
    void oneLabelServesManyJumps() {
        List<Instruction> p = new Assembler().jeq(R1, 0, "out").jeq(R1, 1, "out").label("out").exit().instructions();
        assertEquals(1, p.get(0).off());
        assertEquals(0, p.get(1).off());
    }

    @Test
    void unknownLabelIsNamedInTheError() {
        Assembler a = new Assembler().jeq(R1, 0, "missing").exit();
        AssemblyException e = assertThrows(AssemblyException.class, a::build);
        assertTrue(e.getMessage().contains("'missing'"), e.getMessage());
        assertTrue(e.getMessage().contains("instruction 0"), e.getMessage());
    }

    @Test
    void duplicateLabelIsRejectedWhereItIsDefinedAgain() {
        Assembler a = new Assembler().label("twice").exit();
        AssemblyException e = assertThrows(AssemblyException.class, () -> a.label("twice"));
        assertTrue(e.getMessage().contains("'twice'"), e.getMessage());
    }

    @Test
    void labelAfterTheLastInstructionIsRejected() {
        Assembler a = new Assembler().ja("end").label("end");
        AssemblyException e = assertThrows(AssemblyException.class, a::build);
        assertTrue(e.getMessage().contains("'end'"), e.getMessage());
    }

    @Test
    void jumpBeyondSigned16BitRangeIsRejected() {
        Assembler a = new Assembler().ja("far");
        for (int n = 0; n < 32768; n++) {
            a.mov64(R0, 0);
        }
        a.label("far").exit();
        AssemblyException e = assertThrows(AssemblyException.class, a::build);
        assertTrue(e.getMessage().contains("'far'") && e.getMessage().contains("32768"), e.getMessage());
    }

    @Test
    void jumpAtTheEdgeOfTheRangeIsAccepted() {
        Assembler a = new Assembler().ja("far");
        for (int n = 0; n < 32767; n++) {
            a.mov64(R0, 0);
        }
        List<Instruction> p = a.label("far").exit().instructions();
        assertEquals(32767, p.get(0).off());
    }

    @Test
    void emptyProgramIsRejected() {
        assertThrows(AssemblyException.class, () -> new Assembler().build());
    }

    @Test
    void memoryOffsetBeyondSigned16BitsIsRejectedWhenAdded() {
        AssemblyException e = assertThrows(AssemblyException.class,
                () -> new Assembler().ldx(Size.W, R0, R1, 40000));
        assertTrue(e.getMessage().contains("40000"), e.getMessage());
    }

    @Test
    void byteSwapOfAnotherWidthIsRejected() {
        assertThrows(AssemblyException.class, () -> new Assembler().toBe(R1, 8));
    }

    @Test
    void atomicAddOfOneByteIsRejected() {
        assertThrows(AssemblyException.class, () -> new Assembler().atomicAdd(Size.B, R1, 0, R0));
    }
}
