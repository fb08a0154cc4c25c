package io.reactorbpf.core.asm;

/**
 * The eleven BPF registers. R0 holds return values, R1-R5 carry call arguments (clobbered by calls), R6-R9
 * survive calls, and R10 is the read-only frame pointer.
 */
public enum Register {
    R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10;

    /** The frame pointer: the top of the program's 512-byte stack, read-only. */
    public static final Register FP = R10;

    /** The register's number as the instruction encodes it. */
    public int number() {
        return ordinal();
    }
}
