package io.reactorbpf.core.internal.elf;

/**
 * One {@code Elf64_Rel} entry: patch the bytes at {@code offset} of the target section with the address
 * of symbol {@code symbolIndex}, the way {@code type} says. Immutable.
 *
 * @param offset      byte offset inside the section the relocation applies to
 * @param symbolIndex index into {@link ElfFile#symbols()}
 * @param type        {@code R_BPF_*} relocation type
 */
public record ElfRelocation(long offset, int symbolIndex, int type) {

    /** 64-bit immediate of an {@code ld_imm64} instruction (map or global variable reference). */
    public static final int R_BPF_64_64 = 1;
    public static final int R_BPF_64_ABS64 = 2;
    public static final int R_BPF_64_ABS32 = 3;
    public static final int R_BPF_64_NODYLD32 = 4;
    /** 32-bit immediate of a call instruction (BPF-to-BPF call or callback address). */
    public static final int R_BPF_64_32 = 10;
}
