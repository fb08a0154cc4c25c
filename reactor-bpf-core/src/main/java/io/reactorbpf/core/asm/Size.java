package io.reactorbpf.core.asm;

/**
 * The width of a memory access.
 *
 * @since 0.1
 */
public enum Size {
    /** 32 bits. */
    W(Opcode.W, 4),
    /** 16 bits. */
    H(Opcode.H, 2),
    /** 8 bits. */
    B(Opcode.B, 1),
    /** 64 bits. */
    DW(Opcode.DW, 8);

    private final int code;
    private final int bytes;

    Size(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /**
     * The size bits of the opcode.
     *
     * @return one of {@link Opcode#W}, {@link Opcode#H}, {@link Opcode#B} or {@link Opcode#DW}
     */
    public int code() {
        return code;
    }

    /**
     * Bytes accessed.
     *
     * @return 1, 2, 4 or 8
     */
    public int bytes() {
        return bytes;
    }

    /**
     * The C type the verifier log names for this size, such as {@code u32}.
     *
     * @return {@code u8}, {@code u16}, {@code u32} or {@code u64}
     */
    public String cType() {
        return "u" + bytes * 8;
    }

    /**
     * The size whose opcode bits are {@code code}.
     *
     * @param code an opcode byte or its size bits; bits other than the size bits are ignored
     * @return the size; every value of the two size bits names one
     */
    public static Size of(int code) {
        for (Size s : values()) {
            if (s.code == (code & 0x18)) {
                return s;
            }
        }
        throw new AssertionError("two bits have four values");
    }
}
