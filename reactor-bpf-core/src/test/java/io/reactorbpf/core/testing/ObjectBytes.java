package io.reactorbpf.core.testing;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfKind;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.internal.elf.ElfFile;
import io.reactorbpf.core.internal.elf.ElfSection;
import io.reactorbpf.core.internal.elf.ElfSymbol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A copy of a compiled BPF object whose fields are rewritten in place by name: a section's size, a symbol's value,
 * a relocation's offset, a word of a BTF type. Builds the malformed objects the loader's regression tests need from
 * the committed, well-formed ones. Not thread-safe; each edit returns this.
 */
public final class ObjectBytes {

    private static final int SECTION_HEADER_SIZE = 64;
    private static final int SYMBOL_SIZE = 24;
    private static final int REL_SIZE = 16;
    private static final int BTF_TYPE_SIZE = 12;

    private final byte[] bytes;
    private final ByteBuffer le;
    private final ElfFile elf;

    private ObjectBytes(byte[] object) {
        this.bytes = object.clone();
        this.le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        this.elf = ElfFile.parse(object);
    }

    public static ObjectBytes of(byte[] object) {
        return new ObjectBytes(object);
    }

    /** The edited object. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Sets {@code sh_size} of section {@code name}. */
    public ObjectBytes sectionSize(String name, long size) {
        le.putLong(sectionHeader(name) + 32, size);
        return this;
    }

    /** Renames section {@code name} in the section name table to {@code other}, which must be as long. */
    public ObjectBytes renameSection(String name, String other) {
        if (name.length() != other.length()) {
            throw new IllegalArgumentException("a rename in place keeps the length: " + name + " -> " + other);
        }
        ElfSection names = elf.sections().get(le.getShort(62) & 0xffff);
        int at = (int) (names.offset() + Integer.toUnsignedLong(le.getInt(sectionHeader(name))));
        System.arraycopy(other.getBytes(StandardCharsets.US_ASCII), 0, bytes, at, other.length());
        return this;
    }

    /** Sets {@code st_value} of the symbol {@code name}. */
    public ObjectBytes symbolValue(String name, long value) {
        le.putLong(symbolEntry(name) + 8, value);
        return this;
    }

    /** Sets {@code st_size} of the symbol {@code name}. */
    public ObjectBytes symbolSize(String name, long size) {
        le.putLong(symbolEntry(name) + 16, size);
        return this;
    }

    /** Sets {@code r_offset} of entry {@code entry} of the REL section {@code relSection}. */
    public ObjectBytes relocationOffset(String relSection, int entry, long offset) {
        ElfSection rel = section(relSection);
        le.putLong((int) rel.offset() + entry * REL_SIZE, offset);
        return this;
    }

    /** The object's BTF as it is now. */
    public Btf btf() {
        ElfSection s = section(".BTF");
        byte[] blob = new byte[(int) s.size()];
        System.arraycopy(bytes, (int) s.offset(), blob, 0, blob.length);
        return Btf.parse(blob);
    }

    /** The id of the type named {@code name} of {@code kind}. */
    public int btfId(String name, BtfKind kind) {
        return btf().findByName(name, kind).orElseThrow(() -> new IllegalArgumentException(
                "no " + kind + " named '" + name + "' in the object's BTF"));
    }

    /** Writes {@code value} at byte {@code at} of BTF type {@code id}'s record (0: name_off, 4: info, 8: size/type, 12: data). */
    public ObjectBytes btfWord(int id, int at, int value) {
        le.putInt(btfTypeOffset(id) + at, value);
        return this;
    }

    /** The file offset of BTF type {@code id}'s record, found by walking the type section. */
    public int btfTypeOffset(int id) {
        ElfSection s = section(".BTF");
        int blob = (int) s.offset();
        int at = blob + le.getInt(blob + 4) + le.getInt(blob + 8);
        for (int current = 1; current < id; current++) {
            int info = le.getInt(at + 4);
            at += BTF_TYPE_SIZE + extraBytes(BtfKind.values()[(info >>> 24) & 0x1f], info & 0xffff);
        }
        return at;
    }

    private static int extraBytes(BtfKind kind, int vlen) {
        return switch (kind) {
            case INT, VAR, DECL_TAG -> 4;
            case ARRAY -> 12;
            case STRUCT, UNION, DATASEC, ENUM64 -> vlen * 12;
            case ENUM, FUNC_PROTO -> vlen * 8;
            default -> 0;
        };
    }

    /** The id of the first type the DATASEC {@code section}'s variable {@code index} has in its VarSecinfo. */
    public int datasecVarType(String section, int index) {
        Btf btf = btf();
        return ((BtfType.Datasec) btf.type(btfId(section, BtfKind.DATASEC))).vars().get(index).type();
    }

    private int sectionHeader(String name) {
        return (int) (le.getLong(40) + (long) section(name).index() * SECTION_HEADER_SIZE);
    }

    private ElfSection section(String name) {
        return elf.section(name).orElseThrow(() -> new IllegalArgumentException("no section " + name));
    }

    private int symbolEntry(String name) {
        ElfSection table = elf.sections().stream().filter(s -> s.type() == ElfSection.SHT_SYMTAB).findFirst()
                .orElseThrow();
        ElfSymbol sym = elf.symbols().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no symbol " + name));
        return (int) (table.offset() + (long) sym.index() * SYMBOL_SIZE);
    }
}
