package io.reactorbpf.core.internal.sys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What {@code struct bpf_btf_info} says of a BTF object loaded in the kernel: its id, its name (a kernel module's
 * name, "vmlinux", or empty for a program's BTF) and whether it is the kernel's own. Immutable.
 *
 * @param id        the BTF object's id
 * @param name      its name, empty when it has none
 * @param kernelBtf true for vmlinux and module BTF, false for BTF that user space loaded
 */
public record BtfObjectInfo(int id, String name, boolean kernelBtf) {

    /** sizeof(struct bpf_btf_info) up to kernel_btf: btf, btf_size, id, name, name_len, kernel_btf. */
    static final int SIZE = 32;
    static final int ID = 12;
    static final int NAME = 16;
    static final int NAME_LEN = 24;
    static final int KERNEL_BTF = 28;
    /** Room for a module name (MODULE_NAME_LEN is 56 on 64-bit kernels) and its NUL. */
    static final int NAME_CAPACITY = 64;

    static BtfObjectInfo read(ByteBuffer info, ByteBuffer name) {
        int length = Math.min(info.getInt(NAME_LEN), NAME_CAPACITY);
        byte[] bytes = new byte[length];
        name.get(0, bytes);
        int end = 0;
        while (end < length && bytes[end] != 0) {
            end++;
        }
        return new BtfObjectInfo(info.getInt(ID), new String(bytes, 0, end, StandardCharsets.US_ASCII),
                info.getInt(KERNEL_BTF) != 0);
    }
}
