package io.reactorbpf.core.asm;

/** The binary ALU operations, with the operator the verifier log prints for them. */
public enum AluOp {
    ADD(Opcode.ADD, "+="),
    SUB(Opcode.SUB, "-="),
    MUL(Opcode.MUL, "*="),
    DIV(Opcode.DIV, "/="),
    OR(Opcode.OR, "|="),
    AND(Opcode.AND, "&="),
    LSH(Opcode.LSH, "<<="),
    RSH(Opcode.RSH, ">>="),
    MOD(Opcode.MOD, "%="),
    XOR(Opcode.XOR, "^="),
    MOV(Opcode.MOV, "="),
    ARSH(Opcode.ARSH, "s>>=");

    private final int code;
    private final String operator;

    AluOp(int code, String operator) {
        this.code = code;
        this.operator = operator;
    }

    /** The operation bits of the opcode. */
    public int code() {
        return code;
    }

    /** The assignment operator, such as {@code +=}. */
    public String operator() {
        return operator;
    }

    /** The operation with opcode bits {@code code}, or null for NEG, END and unassigned codes. */
    public static AluOp of(int code) {
        for (AluOp op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        return null;
    }
}
