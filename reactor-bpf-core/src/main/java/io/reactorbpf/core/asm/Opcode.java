package io.reactorbpf.core.asm;

/**
 * The parts of a BPF opcode byte, named as in linux/bpf_common.h and linux/bpf.h without their {@code BPF_}
 * prefix: an instruction class in the low three bits; for loads and stores a size and a mode; for ALU and
 * jumps a source bit and an operation.
 *
 * @since 0.1
 */
public final class Opcode {

    /** Class: loads of immediates, here the two-slot {@link #LD_IMM64} (and the legacy packet loads ABS and IND). */
    public static final int LD = 0x00;
    /** Class: loads from memory into a register. */
    public static final int LDX = 0x01;
    /** Class: stores of an immediate to memory. */
    public static final int ST = 0x02;
    /** Class: stores of a register to memory, and atomic operations. */
    public static final int STX = 0x03;
    /** Class: 32-bit arithmetic; the result is zero-extended into the whole register. */
    public static final int ALU = 0x04;
    /** Class: 64-bit comparisons and jumps, calls and exit. */
    public static final int JMP = 0x05;
    /** Class: comparisons and jumps on the low 32 bits. */
    public static final int JMP32 = 0x06;
    /** Class: 64-bit arithmetic. */
    public static final int ALU64 = 0x07;

    /** Size: 32 bits. */
    public static final int W = 0x00;
    /** Size: 16 bits. */
    public static final int H = 0x08;
    /** Size: 8 bits. */
    public static final int B = 0x10;
    /** Size: 64 bits. */
    public static final int DW = 0x18;

    /** Mode: an immediate, with DW the 64-bit {@link #LD_IMM64}. */
    public static final int IMM = 0x00;
    /** Mode: the legacy packet load at an absolute offset (socket filters). */
    public static final int ABS = 0x20;
    /** Mode: the legacy packet load at an offset in a register (socket filters). */
    public static final int IND = 0x40;
    /** Mode: a load or store at a register plus off. */
    public static final int MEM = 0x60;
    /** Mode: an atomic read-modify-write, the operation in imm. */
    public static final int ATOMIC = 0xc0;

    /** Source: the 32-bit immediate. */
    public static final int K = 0x00;
    /** Source: the src register. */
    public static final int X = 0x08;

    /** Operation: addition; with {@link #ATOMIC}, atomic add. */
    public static final int ADD = 0x00;
    /** Operation: subtraction. */
    public static final int SUB = 0x10;
    /** Operation: multiplication. */
    public static final int MUL = 0x20;
    /** Operation: unsigned division. */
    public static final int DIV = 0x30;
    /** Operation: bitwise or; with {@link #ATOMIC}, atomic or. */
    public static final int OR = 0x40;
    /** Operation: bitwise and; with {@link #ATOMIC}, atomic and. */
    public static final int AND = 0x50;
    /** Operation: left shift. */
    public static final int LSH = 0x60;
    /** Operation: logical right shift. */
    public static final int RSH = 0x70;
    /** Operation: negation of dst. */
    public static final int NEG = 0x80;
    /** Operation: unsigned remainder. */
    public static final int MOD = 0x90;
    /** Operation: exclusive or; with {@link #ATOMIC}, atomic xor. */
    public static final int XOR = 0xa0;
    /** Operation: copy. */
    public static final int MOV = 0xb0;
    /** Operation: arithmetic right shift. */
    public static final int ARSH = 0xc0;
    /** Operation: byte swap of dst to {@link #TO_LE} or {@link #TO_BE}, imm giving the width. */
    public static final int END = 0xd0;

    /** Byte swap direction of {@link #END}, in the source bit. */
    public static final int TO_LE = 0x00;
    /** Byte swap direction of {@link #END}: to big-endian. */
    public static final int TO_BE = 0x08;

    /** Jump: always. */
    public static final int JA = 0x00;
    /** Jump: if equal. */
    public static final int JEQ = 0x10;
    /** Jump: if greater, unsigned. */
    public static final int JGT = 0x20;
    /** Jump: if greater or equal, unsigned. */
    public static final int JGE = 0x30;
    /** Jump: if {@code dst & src} is not zero. */
    public static final int JSET = 0x40;
    /** Jump: if not equal. */
    public static final int JNE = 0x50;
    /** Jump: if greater, signed. */
    public static final int JSGT = 0x60;
    /** Jump: if greater or equal, signed. */
    public static final int JSGE = 0x70;
    /** Jump class operation: a helper, kfunc or bpf-to-bpf call, told apart by src ({@link Pseudo}). */
    public static final int CALL = 0x80;
    /** Jump class operation: return R0. */
    public static final int EXIT = 0x90;
    /** Jump: if less, unsigned. */
    public static final int JLT = 0xa0;
    /** Jump: if less or equal, unsigned. */
    public static final int JLE = 0xb0;
    /** Jump: if less, signed. */
    public static final int JSLT = 0xc0;
    /** Jump: if less or equal, signed. */
    public static final int JSLE = 0xd0;

    /** Atomic operations (the imm of a STX|ATOMIC instruction) return the old value when FETCH is set. */
    public static final int FETCH = 0x01;
    /** Atomic operation: exchange, leaving the old value in src. */
    public static final int XCHG = 0xe0 | FETCH;
    /** Atomic operation: compare with R0 and exchange, leaving the old value in R0. */
    public static final int CMPXCHG = 0xf0 | FETCH;

    /** The two-slot load of a 64-bit immediate: LD | IMM | DW. */
    public static final int LD_IMM64 = LD | IMM | DW;

    private Opcode() {
    }

    /**
     * The instruction class: LD, LDX, ST, STX, ALU, JMP, JMP32 or ALU64.
     *
     * @param opcode the opcode byte
     * @return its low three bits
     */
    public static int instructionClass(int opcode) {
        return opcode & 0x07;
    }

    /**
     * The size of a load or store: W, H, B or DW.
     *
     * @param opcode the opcode byte of a load or store
     * @return its size bits
     */
    public static int size(int opcode) {
        return opcode & 0x18;
    }

    /**
     * The mode of a load or store: IMM, ABS, IND, MEM or ATOMIC.
     *
     * @param opcode the opcode byte of a load or store
     * @return its high three bits
     */
    public static int mode(int opcode) {
        return opcode & 0xe0;
    }

    /**
     * The source of an ALU or jump instruction: K or X.
     *
     * @param opcode the opcode byte of an ALU or jump instruction
     * @return {@link #K} for the immediate, {@link #X} for the src register
     */
    public static int source(int opcode) {
        return opcode & 0x08;
    }

    /**
     * The operation of an ALU or jump instruction.
     *
     * @param opcode the opcode byte of an ALU or jump instruction
     * @return its high four bits, such as {@link #ADD} or {@link #JEQ}
     */
    public static int operation(int opcode) {
        return opcode & 0xf0;
    }
}
