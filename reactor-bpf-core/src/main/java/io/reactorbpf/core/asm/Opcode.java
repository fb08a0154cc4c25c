package io.reactorbpf.core.asm;

/**
 * The parts of a BPF opcode byte, named as in linux/bpf_common.h and linux/bpf.h without their {@code BPF_}
 * prefix: an instruction class in the low three bits; for loads and stores a size and a mode; for ALU and
 * jumps a source bit and an operation.
 */
public final class Opcode {

    public static final int LD = 0x00;
    public static final int LDX = 0x01;
    public static final int ST = 0x02;
    public static final int STX = 0x03;
    public static final int ALU = 0x04;
    public static final int JMP = 0x05;
    public static final int JMP32 = 0x06;
    public static final int ALU64 = 0x07;

    public static final int W = 0x00;
    public static final int H = 0x08;
    public static final int B = 0x10;
    public static final int DW = 0x18;

    public static final int IMM = 0x00;
    public static final int ABS = 0x20;
    public static final int IND = 0x40;
    public static final int MEM = 0x60;
    public static final int ATOMIC = 0xc0;

    /** Source: the 32-bit immediate. */
    public static final int K = 0x00;
    /** Source: the src register. */
    public static final int X = 0x08;

    public static final int ADD = 0x00;
    public static final int SUB = 0x10;
    public static final int MUL = 0x20;
    public static final int DIV = 0x30;
    public static final int OR = 0x40;
    public static final int AND = 0x50;
    public static final int LSH = 0x60;
    public static final int RSH = 0x70;
    public static final int NEG = 0x80;
    public static final int MOD = 0x90;
    public static final int XOR = 0xa0;
    public static final int MOV = 0xb0;
    public static final int ARSH = 0xc0;
    public static final int END = 0xd0;

    /** Byte swap direction of {@link #END}, in the source bit. */
    public static final int TO_LE = 0x00;
    public static final int TO_BE = 0x08;

    public static final int JA = 0x00;
    public static final int JEQ = 0x10;
    public static final int JGT = 0x20;
    public static final int JGE = 0x30;
    public static final int JSET = 0x40;
    public static final int JNE = 0x50;
    public static final int JSGT = 0x60;
    public static final int JSGE = 0x70;
    public static final int CALL = 0x80;
    public static final int EXIT = 0x90;
    public static final int JLT = 0xa0;
    public static final int JLE = 0xb0;
    public static final int JSLT = 0xc0;
    public static final int JSLE = 0xd0;

    /** Atomic operations (the imm of a STX|ATOMIC instruction) return the old value when FETCH is set. */
    public static final int FETCH = 0x01;
    public static final int XCHG = 0xe0 | FETCH;
    public static final int CMPXCHG = 0xf0 | FETCH;

    /** The two-slot load of a 64-bit immediate: LD | IMM | DW. */
    public static final int LD_IMM64 = LD | IMM | DW;

    private Opcode() {
    }

    /** The instruction class: LD, LDX, ST, STX, ALU, JMP, JMP32 or ALU64. */
    public static int instructionClass(int opcode) {
        return opcode & 0x07;
    }

    /** The size of a load or store: W, H, B or DW. */
    public static int size(int opcode) {
        return opcode & 0x18;
    }

    /** The mode of a load or store: IMM, ABS, IND, MEM or ATOMIC. */
    public static int mode(int opcode) {
        return opcode & 0xe0;
    }

    /** The source of an ALU or jump instruction: K or X. */
    public static int source(int opcode) {
        return opcode & 0x08;
    }

    /** The operation of an ALU or jump instruction. */
    public static int operation(int opcode) {
        return opcode & 0xf0;
    }
}
