package io.reactorbpf.core.asm;

/**
 * Values of an instruction's src register that make it a pseudo instruction the kernel rewrites at load time,
 * named as linux/bpf.h names them without their {@code BPF_PSEUDO_} prefix.
 *
 * @since 0.1
 */
public final class Pseudo {

    /** ld_imm64: imm is a map file descriptor; loads the map's address. */
    public static final int MAP_FD = 1;
    /** ld_imm64: imm is a map file descriptor, the second imm an offset; loads the address of that value byte. */
    public static final int MAP_VALUE = 2;
    /** ld_imm64: imm is a kernel BTF id of a variable; loads its address. */
    public static final int BTF_ID = 3;
    /** ld_imm64: imm is the instruction offset of a subprogram; loads a callback pointer to it. */
    public static final int FUNC = 4;
    /** ld_imm64: like MAP_FD with an index into the program's fd_array. */
    public static final int MAP_IDX = 5;
    /** ld_imm64: like MAP_VALUE with an index into the program's fd_array. */
    public static final int MAP_IDX_VALUE = 6;

    /** call: imm is the instruction offset of a subprogram (a bpf-to-bpf call). */
    public static final int CALL = 1;
    /** call: imm is the BTF id of a kernel function, off the fd_array index of its module BTF (0: vmlinux). */
    public static final int KFUNC_CALL = 2;

    private Pseudo() {
    }
}
