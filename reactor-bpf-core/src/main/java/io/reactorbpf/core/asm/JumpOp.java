package io.reactorbpf.core.asm;

/** The conditional jumps, with the comparison the verifier log prints for them ({@code s} marks signed). */
public enum JumpOp {
    JEQ(Opcode.JEQ, "=="),
    JGT(Opcode.JGT, ">"),
    JGE(Opcode.JGE, ">="),
    JSET(Opcode.JSET, "&"),
    JNE(Opcode.JNE, "!="),
    JSGT(Opcode.JSGT, "s>"),
    JSGE(Opcode.JSGE, "s>="),
    JLT(Opcode.JLT, "<"),
    JLE(Opcode.JLE, "<="),
    JSLT(Opcode.JSLT, "s<"),
    JSLE(Opcode.JSLE, "s<=");

    private final int code;
    private final String comparison;

    JumpOp(int code, String comparison) {
        this.code = code;
        this.comparison = comparison;
    }

    /** The operation bits of the opcode. */
    public int code() {
        return code;
    }

    /** The comparison, such as {@code s<=}. */
    public String comparison() {
        return comparison;
    }

    /** The conditional jump with opcode bits {@code code}, or null for JA, CALL, EXIT and unassigned codes. */
    public static JumpOp of(int code) {
        for (JumpOp op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        return null;
    }
}
