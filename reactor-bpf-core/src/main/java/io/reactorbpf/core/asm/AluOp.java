package io.reactorbpf.core.asm;

/**
 * The binary ALU operations, with the operator the verifier log prints for them.
 *
 * @since 0.1
 */
public enum AluOp {
    /** Addition, {@code dst += src}. */
    ADD(Opcode.ADD, "+="),
    /** Subtraction, {@code dst -= src}. */
    SUB(Opcode.SUB, "-="),
    /** Multiplication, {@code dst *= src}. */
    MUL(Opcode.MUL, "*="),
    /** Unsigned division, {@code dst /= src}; division by zero gives 0 instead of a fault. */
    DIV(Opcode.DIV, "/="),
    /** Bitwise or, {@code dst |= src}. */
    OR(Opcode.OR, "|="),
    /** Bitwise and, {@code dst &= src}. */
    AND(Opcode.AND, "&="),
    /** Left shift, {@code dst <<= src}. */
    LSH(Opcode.LSH, "<<="),
    /** Logical right shift, {@code dst >>= src}, shifting in zeros. */
    RSH(Opcode.RSH, ">>="),
    /** Unsigned remainder, {@code dst %= src}; modulo zero leaves dst unchanged. */
    MOD(Opcode.MOD, "%="),
    /** Bitwise exclusive or, {@code dst ^= src}. */
    XOR(Opcode.XOR, "^="),
    /** Copy, {@code dst = src}. */
    MOV(Opcode.MOV, "="),
    /** Arithmetic right shift, {@code dst s>>= src}, shifting in the sign bit. */
    ARSH(Opcode.ARSH, "s>>=");

    private final int code;
    private final String operator;

    AluOp(int code, String operator) {
        this.code = code;
        this.operator = operator;
    }

    /**
     * The operation bits of the opcode.
     *
     * @return the high four bits of the opcode byte, such as {@link Opcode#ADD}
     */
    public int code() {
        return code;
    }

    /**
     * The assignment operator, such as {@code +=}.
     *
     * @return the operator the verifier log prints between dst and src
     */
    public String operator() {
        return operator;
    }

    /**
     * The operation with opcode bits {@code code}, or null for NEG, END and unassigned codes.
     *
     * @param code the operation bits of an ALU or ALU64 opcode
     * @return the binary operation, or null when {@code code} is not one
     */
    public static AluOp of(int code) {
        for (AluOp op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        return null;
    }
}
