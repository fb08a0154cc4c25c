package io.reactorbpf.core.asm;

/**
 * The conditional jumps, with the comparison the verifier log prints for them ({@code s} marks signed).
 *
 * @since 0.1
 */
public enum JumpOp {
    /** Jump if equal. */
    JEQ(Opcode.JEQ, "=="),
    /** Jump if greater, unsigned. */
    JGT(Opcode.JGT, ">"),
    /** Jump if greater or equal, unsigned. */
    JGE(Opcode.JGE, ">="),
    /** Jump if {@code dst & src} is not zero: any bit in common. */
    JSET(Opcode.JSET, "&"),
    /** Jump if not equal. */
    JNE(Opcode.JNE, "!="),
    /** Jump if greater, signed. */
    JSGT(Opcode.JSGT, "s>"),
    /** Jump if greater or equal, signed. */
    JSGE(Opcode.JSGE, "s>="),
    /** Jump if less, unsigned. */
    JLT(Opcode.JLT, "<"),
    /** Jump if less or equal, unsigned. */
    JLE(Opcode.JLE, "<="),
    /** Jump if less, signed. */
    JSLT(Opcode.JSLT, "s<"),
    /** Jump if less or equal, signed. */
    JSLE(Opcode.JSLE, "s<=");

    private final int code;
    private final String comparison;

    JumpOp(int code, String comparison) {
        this.code = code;
        this.comparison = comparison;
    }

    /**
     * The operation bits of the opcode.
     *
     * @return the high four bits of the opcode byte, such as {@link Opcode#JEQ}
     */
    public int code() {
        return code;
    }

    /**
     * The comparison, such as {@code s<=}.
     *
     * @return the operator the verifier log prints between the operands
     */
    public String comparison() {
        return comparison;
    }

    /**
     * The conditional jump with opcode bits {@code code}, or null for JA, CALL, EXIT and unassigned codes.
     *
     * @param code the operation bits of a JMP or JMP32 opcode
     * @return the conditional jump, or null when {@code code} is not one
     */
    public static JumpOp of(int code) {
        for (JumpOp op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        return null;
    }
}
