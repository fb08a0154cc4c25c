package io.reactorbpf.core.internal.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One section header of an {@link ElfFile} and, unless it is {@code SHT_NOBITS}, the bytes it covers.
 * Immutable and safe to share between threads: {@link #data()} hands each caller its own read-only view.
 */
public final class ElfSection {

    public static final int SHT_NULL = 0;
    public static final int SHT_PROGBITS = 1;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_RELA = 4;
    public static final int SHT_NOBITS = 8;
    public static final int SHT_REL = 9;

    public static final long SHF_WRITE = 0x1;
    public static final long SHF_ALLOC = 0x2;
    public static final long SHF_EXECINSTR = 0x4;

    private final int index;
    private final String name;
    private final int type;
    private final long flags;
    private final long address;
    private final long offset;
    private final long size;
    private final int link;
    private final int info;
    private final long entrySize;
    private final long alignment;
    private final byte[] image;

    ElfSection(int index, String name, int type, long flags, long address, long offset, long size, int link,
               int info, long entrySize, long alignment, byte[] image) {
        this.index = index;
        this.address = address;
        this.name = name;
        this.type = type;
        this.flags = flags;
        this.offset = offset;
        this.size = size;
        this.link = link;
        this.info = info;
        this.entrySize = entrySize;
        this.alignment = alignment;
        this.image = image;
    }

    /** Position in the section header table; symbols and relocations refer to sections by it. */
    public int index() {
        return index;
    }

    public String name() {
        return name;
    }

    /** {@code sh_type}, one of the {@code SHT_*} constants or another value. */
    public int type() {
        return type;
    }

    /** {@code sh_flags}, a combination of the {@code SHF_*} bits. */
    public long flags() {
        return flags;
    }

    /** {@code sh_addr}: where the section's bytes are in memory once loaded, 0 for a section that is not loaded. */
    public long address() {
        return address;
    }

    /** File offset of the section's bytes. */
    public long offset() {
        return offset;
    }

    /** {@code sh_size}: the byte length, also for {@code SHT_NOBITS} sections that occupy no file bytes. */
    public long size() {
        return size;
    }

    /** {@code sh_link}: for a symbol table its string table, for a relocation section its symbol table. */
    public int link() {
        return link;
    }

    /** {@code sh_info}: for a relocation section the index of the section it patches. */
    public int info() {
        return info;
    }

    /** {@code sh_entsize}: the size of one entry for table sections, else 0. */
    public long entrySize() {
        return entrySize;
    }

    /** {@code sh_addralign}. */
    public long alignment() {
        return alignment;
    }

    public boolean isExecutable() {
        return (flags & SHF_EXECINSTR) != 0;
    }

    public boolean isWritable() {
        return (flags & SHF_WRITE) != 0;
    }

    public boolean isAllocated() {
        return (flags & SHF_ALLOC) != 0;
    }

    /** True for {@code SHT_NOBITS} (e.g. .bss): the section has a size but no bytes in the file. */
    public boolean hasNoData() {
        return type == SHT_NOBITS || type == SHT_NULL;
    }

    /**
     * A fresh read-only little-endian view of the section's bytes (position 0, limit = size); empty for
     * sections without file data.
     */
    public ByteBuffer data() {
        if (hasNoData()) {
            return ByteBuffer.allocate(0).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
        return ByteBuffer.wrap(image, (int) offset, (int) size).slice().asReadOnlyBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public String toString() {
        return "section [" + index + "] '" + name + "' (type " + type + ", " + size + " bytes)";
    }
}
