package io.reactorbpf.core.asm;

/**
 * The eleven BPF registers. R0 holds return values, R1-R5 carry call arguments (clobbered by calls), R6-R9
 * survive calls, and R10 is the read-only frame pointer.
 *
 * @since 0.1
 */
public enum Register {
    /** The return value of helpers, calls and the program; also the compare operand of CMPXCHG. */
    R0,
    /** The first argument of a call, and the program's context pointer on entry. */
    R1,
    /** The second argument of a call. */
    R2,
    /** The third argument of a call. */
    R3,
    /** The fourth argument of a call. */
    R4,
    /** The fifth argument of a call. */
    R5,
    /** Callee-saved: survives calls. */
    R6,
    /** Callee-saved: survives calls. */
    R7,
    /** Callee-saved: survives calls. */
    R8,
    /** Callee-saved: survives calls. */
    R9,
    /** The read-only frame pointer, {@link #FP}. */
    R10;

    /** The frame pointer: the top of the program's 512-byte stack, read-only. */
    public static final Register FP = R10;

    /**
     * The register's number as the instruction encodes it.
     *
     * @return 0 for R0 to 10 for R10, the value of an instruction's 4-bit dst or src field
     */
    public int number() {
        return ordinal();
    }
}
