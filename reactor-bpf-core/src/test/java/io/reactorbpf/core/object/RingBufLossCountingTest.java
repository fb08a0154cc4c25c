package io.reactorbpf.core.object;

import io.reactorbpf.core.asm.BpfFunc;
import io.reactorbpf.core.asm.Instruction;
import io.reactorbpf.core.asm.Opcode;
import io.reactorbpf.core.asm.Pseudo;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rewrite that counts ring buffer losses, over hand-assembled linked programs. */
class RingBufLossCountingTest {

    private static final int RING_FD = 7;
    private static final int LOSS_FD = 9;
    private static final int JEQ_K = Opcode.JMP | Opcode.JEQ | Opcode.K;
    private static final int JA = Opcode.JMP | Opcode.JA;
    private static final int CALL = Opcode.JMP | Opcode.CALL;
    private static final int EXIT = Opcode.JMP | Opcode.EXIT;
    private static final int MOV_K = Opcode.ALU64 | Opcode.MOV | Opcode.K;
    private static final int MOV_X = Opcode.ALU64 | Opcode.MOV | Opcode.X;

    /**
     * <pre>
     *  0: r6 = 0                      6: if r0 == 0 goto +1 (-> 8)
     *  1: r1 = map_fd(ring) ll        7: r0 = 1
     *  3: r2 = 8                      8: if r6 == 0 goto -9 (-> 0)
     *  4: r3 = 0                      9: call pc+1 (-> 11)
     *  5: call bpf_ringbuf_output    10: exit
     *                                11: r0 = 0
     *                                12: exit
     * </pre>
     */
    private static LinkedProgram program(boolean mapFromRegister) {
        List<Instruction> code = List.of(
                Instruction.of(MOV_K, 6, 0, 0, 0),
                mapFromRegister ? Instruction.wide(6, Pseudo.MAP_FD, RING_FD) : Instruction.wide(1, Pseudo.MAP_FD, RING_FD),
                mapFromRegister ? Instruction.of(MOV_X, 1, 6, 0, 0) : Instruction.of(MOV_K, 2, 0, 0, 8),
                Instruction.of(MOV_K, 3, 0, 0, 0),
                Instruction.of(CALL, 0, 0, 0, BpfFunc.RINGBUF_OUTPUT.id()),
                Instruction.of(JEQ_K, 0, 0, 1, 0),
                Instruction.of(MOV_K, 0, 0, 0, 1),
                Instruction.of(JEQ_K, 6, 0, -9, 0),
                Instruction.of(CALL, 0, Pseudo.CALL, 0, 1),
                Instruction.of(EXIT, 0, 0, 0, 0),
                Instruction.of(MOV_K, 0, 0, 0, 0),
                Instruction.of(EXIT, 0, 0, 0, 0));
        byte[] funcInfo = ints(0, 1, 11, 2);
        byte[] lineInfo = ints(0, 0, 0, 0, 6, 0, 0, 0, 11, 0, 0, 0);
        CodeFunction main = new CodeFunction("main", 1, "tp", 0, 11 * 8, false);
        CodeFunction sub = new CodeFunction("sub", 2, ".text", 0, 2 * 8, false);
        return new LinkedProgram(Instruction.encode(code), funcInfo, 8, lineInfo, 16,
                List.of(new LinkedProgram.Placed(main, 0), new LinkedProgram.Placed(sub, 11)));
    }

    @Test
    void aCallWhoseRingIsLoadedInItsBlockIsASite() {
        List<RingBufLossCounting.Site> sites = RingBufLossCounting.sites(program(false)).orElseThrow();
        assertEquals(List.of(new RingBufLossCounting.Site(5, false, RING_FD)), sites);
    }

    @Test
    void aCallWhoseRingComesFromAnotherRegisterIsNotAttributed() {
        assertTrue(RingBufLossCounting.sites(program(true)).isEmpty());
    }

    @Test
    void theCountingFollowsTheCallAndEveryJumpCallAndInfoRecordKeepsItsTarget() {
        LinkedProgram linked = program(false);
        RingBufLossCounting.Rewritten r = RingBufLossCounting.rewrite("main", linked,
                RingBufLossCounting.sites(linked).orElseThrow(), LOSS_FD, Map.of(RING_FD, 3));
        // decoded instructions, not slots: the ld_imm64s are one element each
        List<Instruction> out = Instruction.decodeAll(r.program().insns());
        int added = RingBufLossCounting.ADDED;

        assertEquals(13 + added, r.program().insns().length / 8);
        assertEquals(Instruction.of(JEQ_K, 0, 0, added - 1, 0), out.get(5), "skip the count when output returned 0");
        assertEquals(Instruction.wide(1, Pseudo.MAP_VALUE, (long) 24 << 32 | LOSS_FD), out.get(6), "slot 3");
        assertEquals(Instruction.of(MOV_K, 2, 0, 0, 1), out.get(7));
        assertEquals(Instruction.of(Opcode.STX | Opcode.ATOMIC | Opcode.DW, 1, 2, 0, Opcode.ADD), out.get(8));
        assertEquals(Instruction.of(JEQ_K, 0, 0, 1, 0), out.get(9), "a forward jump past nothing added keeps +1");
        assertEquals(Instruction.of(JEQ_K, 6, 0, -9 - added, 0), out.get(11), "the back jump spans the count");
        assertEquals(Instruction.of(CALL, 0, Pseudo.CALL, 0, 1), out.get(12));
        assertArrayEquals(ints(0, 1, 11 + added, 2), r.program().funcInfo());
        assertArrayEquals(ints(0, 0, 0, 0, 6 + added, 0, 0, 0, 11 + added, 0, 0, 0), r.program().lineInfo());
        assertEquals(List.of(0, 11 + added), r.program().layout().stream().map(LinkedProgram.Placed::start).toList());
        assertEquals(5, r.linked(5), "the call");
        assertEquals(-1, r.linked(6), "added");
        assertEquals(6, r.linked(6 + added));
    }

    private static byte[] ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }
}
