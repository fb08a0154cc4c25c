package io.reactorbpf.core.internal.elf;

/**
 * One program header ({@code Elf64_Phdr}) of an executable or shared object: how a range of the file is
 * mapped into memory. Immutable.
 *
 * @param type   {@code p_type}, e.g. {@link #PT_LOAD}
 * @param flags  {@code p_flags}, a combination of {@link #PF_X}, {@link #PF_W} and {@link #PF_R}
 * @param offset {@code p_offset}: where the segment's bytes start in the file
 * @param vaddr  {@code p_vaddr}: where they are mapped, relative to the load base for shared objects
 * @param fileSize {@code p_filesz}: how many bytes come from the file
 * @param memorySize {@code p_memsz}: how many bytes the mapping spans (more than fileSize for .bss)
 */
public record ElfSegment(int type, int flags, long offset, long vaddr, long fileSize, long memorySize) {

    /** A loadable segment. */
    public static final int PT_LOAD = 1;
    /** Executable. */
    public static final int PF_X = 1;
    /** Writable. */
    public static final int PF_W = 2;
    /** Readable. */
    public static final int PF_R = 4;

    /** Whether this is a {@link #PT_LOAD} segment whose file-backed bytes include virtual address {@code address}. */
    public boolean mapsFileBytesAt(long address) {
        return type == PT_LOAD && Long.compareUnsigned(address, vaddr) >= 0
                && Long.compareUnsigned(address - vaddr, fileSize) < 0;
    }

    /** The file offset of virtual address {@code address}, which must lie in this segment's file bytes. */
    public long fileOffsetOf(long address) {
        return address - vaddr + offset;
    }
}
