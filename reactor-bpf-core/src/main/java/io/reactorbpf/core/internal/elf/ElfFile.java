package io.reactorbpf.core.internal.elf;

import io.reactorbpf.core.ElfFormatException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A parsed ELF64 little-endian relocatable BPF object: its sections, symbol table and REL relocation
 * sections. {@link #parseAnyMachine} reads executables and shared objects of any machine instead (their
 * program headers and dynamic symbols, as uprobes need them). Every offset, size, count and string index in the file is checked before use; a malformed
 * file raises {@link ElfFormatException} naming the header or section and the byte offset. Memory use is
 * bounded by the file size: no table is allocated from a count that the file's length does not back.
 *
 * <p>Immutable after {@link #parse}, holding its own copy of the bytes; safe to read from any thread.
 */
public final class ElfFile {

    /** {@code e_machine} of BPF objects. */
    public static final int EM_BPF = 247;
    /** {@code e_machine} written by old LLVM releases for BPF objects. */
    public static final int EM_NONE = 0;

    private static final int HEADER_SIZE = 64;
    private static final int SECTION_HEADER_SIZE = 64;
    private static final int SYMBOL_SIZE = 24;
    private static final int REL_SIZE = 16;
    private static final int PROGRAM_HEADER_SIZE = 56;
    private static final int PN_XNUM = 0xffff;
    private static final int SHT_DYNSYM = 11;
    private static final int SHN_XINDEX = 0xffff;
    private static final int SHN_LORESERVE = 0xff00;

    private final int type;
    private final int machine;
    private final List<ElfSection> sections;
    private final Map<String, ElfSection> sectionsByName;
    private final List<ElfSymbol> symbols;
    private final List<ElfRelocations> relocations;
    private final List<ElfSegment> segments;
    private final List<ElfSymbol> dynamicSymbols;

    private ElfFile(int type, int machine, List<ElfSection> sections, List<ElfSymbol> symbols,
                    List<ElfRelocations> relocations, List<ElfSegment> segments, List<ElfSymbol> dynamicSymbols) {
        this.type = type;
        this.machine = machine;
        this.sections = Collections.unmodifiableList(sections);
        Map<String, ElfSection> byName = new HashMap<>();
        for (ElfSection s : sections) {
            byName.putIfAbsent(s.name(), s);
        }
        this.sectionsByName = byName;
        this.symbols = Collections.unmodifiableList(symbols);
        this.relocations = Collections.unmodifiableList(relocations);
        this.segments = Collections.unmodifiableList(segments);
        this.dynamicSymbols = Collections.unmodifiableList(dynamicSymbols);
    }

    /** Parses a copy of {@code bytes}, which must be a BPF object ({@link #EM_BPF} or {@link #EM_NONE}). */
    public static ElfFile parse(byte[] bytes) {
        return new Parser(new ElfBytes(bytes.clone()), false).parse();
    }

    /**
     * Parses a copy of {@code bytes} as an ELF64 little-endian file of any machine, such as an x86-64 or
     * AArch64 executable or shared object: sections, {@code .symtab}, {@code .dynsym} and program headers.
     * REL relocations are read only for BPF objects; for other machines {@link #relocations()} is empty.
     */
    public static ElfFile parseAnyMachine(byte[] bytes) {
        return new Parser(new ElfBytes(bytes.clone()), true).parse();
    }

    /** Parses a copy of the remaining bytes of {@code buffer}; the buffer's position is not changed. */
    public static ElfFile parse(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return new Parser(new ElfBytes(copy), false).parse();
    }

    /** {@code e_type}: 1 for a relocatable object, the only kind clang writes for BPF. */
    public int type() {
        return type;
    }

    /** {@code e_machine}: {@link #EM_BPF} or {@link #EM_NONE}, or any machine after {@link #parseAnyMachine}. */
    public int machine() {
        return machine;
    }

    /** All sections in header order, index 0 being the null section. */
    public List<ElfSection> sections() {
        return sections;
    }

    /** The section at {@code index}; an out-of-range index (e.g. from a symbol) is a format error. */
    public ElfSection section(int index) {
        if (index < 0 || index >= sections.size()) {
            throw new ElfFormatException("section index " + index + " does not exist (the file has "
                    + sections.size() + " sections)");
        }
        return sections.get(index);
    }

    /** The first section named {@code name}. */
    public Optional<ElfSection> section(String name) {
        return Optional.ofNullable(sectionsByName.get(name));
    }

    /** The symbol table in index order (entry 0 is the null symbol); empty when the file has none. */
    public List<ElfSymbol> symbols() {
        return symbols;
    }

    /** The symbol at {@code index}, as relocations refer to it. */
    public ElfSymbol symbol(int index) {
        if (index < 0 || index >= symbols.size()) {
            throw new ElfFormatException("symbol index " + index + " does not exist (the symbol table has "
                    + symbols.size() + " entries)");
        }
        return symbols.get(index);
    }

    /** The dynamic symbol table ({@code .dynsym}) in index order; empty when the file has none. */
    public List<ElfSymbol> dynamicSymbols() {
        return dynamicSymbols;
    }

    /** The program headers in file order; empty for relocatable objects and after {@link #parse}. */
    public List<ElfSegment> segments() {
        return segments;
    }

    /**
     * The file offset at which the loadable segment containing virtual address {@code vaddr} holds its
     * byte; empty when no {@code PT_LOAD} segment maps file bytes there.
     */
    public OptionalLong fileOffsetOf(long vaddr) {
        for (ElfSegment s : segments) {
            if (s.mapsFileBytesAt(vaddr)) {
                return OptionalLong.of(s.fileOffsetOf(vaddr));
            }
        }
        return OptionalLong.empty();
    }

    /** Every {@code SHT_REL} section with its entries and target section, in header order. */
    public List<ElfRelocations> relocations() {
        return relocations;
    }

    /** The relocations that patch {@code target}, if any section does. */
    public Optional<ElfRelocations> relocationsFor(ElfSection target) {
        for (ElfRelocations r : relocations) {
            if (r.targetSection().index() == target.index()) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** Reads one file; used once by {@link #parse} or {@link #parseAnyMachine}. */
    private static final class Parser {
        private final ElfBytes in;
        private final boolean anyMachine;
        private final String expected;

        Parser(ElfBytes in, boolean anyMachine) {
            this.in = in;
            this.anyMachine = anyMachine;
            this.expected = anyMachine ? "an ELF64 little-endian file" : "a BPF object";
        }

        ElfFile parse() {
            checkIdentity();
            String h = "ELF header";
            int eType = in.u16(16, h);
            int eMachine = in.u16(18, h);
            if (!anyMachine && eMachine != EM_BPF && eMachine != EM_NONE) {
                throw new ElfFormatException("this is " + ElfNames.describe(eType, eMachine)
                        + ", not a BPF object; compile the program with clang -target bpf");
            }
            long shoff = in.s64(40, h);
            int shentsize = in.u16(58, h);
            long shnum = in.u16(60, h);
            int shstrndx = in.u16(62, h);
            List<ElfSegment> segments = anyMachine ? segments(h) : List.of();
            if (shoff == 0) {
                return new ElfFile(eType, eMachine, List.of(), List.of(), List.of(), segments, List.of());
            }
            if (shentsize != SECTION_HEADER_SIZE) {
                throw new ElfFormatException(h + " at offset 58: e_shentsize is " + shentsize + ", expected "
                        + SECTION_HEADER_SIZE);
            }
            in.range(shoff, SECTION_HEADER_SIZE, h + ": section header table (e_shoff at offset 40)");
            if (shnum == 0) {
                shnum = in.s64(shoff + 32, "section header 0 (extended section count)");
            }
            if (shstrndx == SHN_XINDEX) {
                shstrndx = (int) in.u32(shoff + 40, "section header 0 (extended string table index)");
            }
            if (shnum < 0 || shnum > (in.length() - shoff) / SECTION_HEADER_SIZE) {
                throw new ElfFormatException(h + ": " + Long.toUnsignedString(shnum) + " section headers at offset "
                        + shoff + " do not fit in the " + in.length() + "-byte file");
            }
            int count = (int) shnum;
            if (shstrndx >= count) {
                throw new ElfFormatException(h + " at offset 62: section name table index " + shstrndx
                        + " is not below the section count " + count);
            }
            long namesAt = shoff + (long) shstrndx * SECTION_HEADER_SIZE;
            String namesWhere = "section name table [" + shstrndx + "]";
            int namesOffset = in.range(in.s64(namesAt + 24, namesWhere), in.s64(namesAt + 32, namesWhere),
                    namesWhere);
            int namesSize = (int) in.s64(namesAt + 32, namesWhere);
            List<ElfSection> sections = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                sections.add(section(i, shoff + (long) i * SECTION_HEADER_SIZE, namesOffset, namesSize));
            }
            List<ElfSymbol> symbols = symbols(sections, ElfSection.SHT_SYMTAB);
            List<ElfRelocations> relocations = new ArrayList<>();
            for (ElfSection s : sections) {
                if (s.type() == ElfSection.SHT_REL && !anyMachine) {
                    relocations.add(relocations(s, sections, symbols.size()));
                }
            }
            return new ElfFile(eType, eMachine, sections, symbols, relocations, segments,
                    symbols(sections, SHT_DYNSYM));
        }

        private List<ElfSegment> segments(String h) {
            long phoff = in.s64(32, h);
            int phentsize = in.u16(54, h);
            long phnum = in.u16(56, h);
            if (phoff == 0 || phnum == 0) {
                return List.of();
            }
            if (phentsize != PROGRAM_HEADER_SIZE) {
                throw new ElfFormatException(h + " at offset 54: e_phentsize is " + phentsize + ", expected "
                        + PROGRAM_HEADER_SIZE);
            }
            if (phnum == PN_XNUM) {
                long shoff = in.s64(40, h);
                if (shoff == 0) {
                    throw new ElfFormatException(h + " at offset 56: e_phnum says the count is in section header 0, "
                            + "but the file has no section headers");
                }
                phnum = in.u32(shoff + 44, "section header 0 (extended program header count)");
            }
            in.range(phoff, phnum * PROGRAM_HEADER_SIZE, h + ": " + phnum + " program headers (e_phoff at offset 32)");
            List<ElfSegment> segments = new ArrayList<>((int) phnum);
            for (int i = 0; i < phnum; i++) {
                long at = phoff + (long) i * PROGRAM_HEADER_SIZE;
                String where = "program header [" + i + "] at offset " + at;
                segments.add(new ElfSegment(in.s32(at, where), in.s32(at + 4, where), in.s64(at + 8, where),
                        in.s64(at + 16, where), in.s64(at + 32, where), in.s64(at + 40, where)));
            }
            return segments;
        }

        private void checkIdentity() {
            if (in.length() < HEADER_SIZE) {
                throw new ElfFormatException("ELF header: the file has " + in.length()
                        + " bytes, fewer than the 64-byte ELF64 header; this is not " + expected);
            }
            byte[] b = in.image();
            if (b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F') {
                throw new ElfFormatException("ELF header at offset 0: no ELF magic (\\x7fELF); this is not " + expected);
            }
            if (b[4] != 2) {
                throw new ElfFormatException("ELF header at offset 4: class " + b[4]
                        + " is not ELFCLASS64; " + (anyMachine ? "only 64-bit ELF files are read"
                        : "a BPF object is 64-bit ELF (clang -target bpf)"));
            }
            if (b[5] != 1) {
                throw new ElfFormatException("ELF header at offset 5: data encoding " + b[5]
                        + " is not little-endian (ELFDATA2LSB); " + (anyMachine ? "only little-endian ELF files are read"
                        : "compile with clang -target bpf or bpfel"));
            }
        }

        private ElfSection section(int index, long at, int namesOffset, int namesSize) {
            String where = "section header [" + index + "] at offset " + at;
            long nameIndex = in.u32(at, where);
            String name = index == 0 && nameIndex == 0 ? "" : in.string(namesOffset, namesSize, nameIndex, where);
            int type = in.s32(at + 4, where);
            long flags = in.s64(at + 8, where);
            long address = in.s64(at + 16, where);
            long offset = in.s64(at + 24, where);
            long size = in.s64(at + 32, where);
            int link = in.s32(at + 40, where);
            int info = in.s32(at + 44, where);
            long align = in.s64(at + 48, where);
            long entsize = in.s64(at + 56, where);
            if (type != ElfSection.SHT_NOBITS && type != ElfSection.SHT_NULL) {
                in.range(offset, size, "section [" + index + "] '" + name + "' data");
            }
            return new ElfSection(index, name, type, flags, address, offset, size, link, info, entsize, align,
                    in.image());
        }

        private List<ElfSymbol> symbols(List<ElfSection> sections, int tableType) {
            ElfSection table = null;
            for (ElfSection s : sections) {
                if (s.type() == tableType) {
                    table = s;
                    break;
                }
            }
            if (table == null) {
                return List.of();
            }
            String where = "symbol table " + table;
            if (table.entrySize() != SYMBOL_SIZE || table.size() % SYMBOL_SIZE != 0) {
                throw new ElfFormatException(where + ": entry size " + table.entrySize() + " and size "
                        + table.size() + " do not describe 24-byte Elf64_Sym entries");
            }
            if (table.link() <= 0 || table.link() >= sections.size()
                    || sections.get(table.link()).type() != ElfSection.SHT_STRTAB) {
                throw new ElfFormatException(where + ": sh_link " + table.link() + " is not a string table");
            }
            ElfSection strings = sections.get(table.link());
            int count = (int) (table.size() / SYMBOL_SIZE);
            List<ElfSymbol> symbols = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long at = table.offset() + (long) i * SYMBOL_SIZE;
                String symWhere = "symbol [" + i + "] at offset " + at;
                long nameIndex = in.u32(at, symWhere);
                String name = nameIndex == 0 ? ""
                        : in.string((int) strings.offset(), (int) strings.size(), nameIndex, symWhere);
                int info = in.u8(at + 4, symWhere);
                int other = in.u8(at + 5, symWhere);
                int shndx = in.u16(at + 6, symWhere);
                long value = in.s64(at + 8, symWhere);
                long size = in.s64(at + 16, symWhere);
                if (shndx != 0 && shndx < SHN_LORESERVE && shndx >= sections.size()) {
                    throw new ElfFormatException(symWhere + " '" + name + "': section index " + shndx
                            + " does not exist (the file has " + sections.size() + " sections)");
                }
                symbols.add(new ElfSymbol(i, name, value, size, ElfSymbol.Type.of(info & 0xf),
                        ElfSymbol.Binding.of(info >>> 4), ElfSymbol.Visibility.of(other), shndx));
            }
            return symbols;
        }

        private ElfRelocations relocations(ElfSection rel, List<ElfSection> sections, int symbolCount) {
            String where = "relocation " + rel;
            if (rel.entrySize() != REL_SIZE || rel.size() % REL_SIZE != 0) {
                throw new ElfFormatException(where + ": entry size " + rel.entrySize() + " and size "
                        + rel.size() + " do not describe 16-byte Elf64_Rel entries");
            }
            if (rel.info() <= 0 || rel.info() >= sections.size()) {
                throw new ElfFormatException(where + ": sh_info " + rel.info()
                        + " names no section to relocate (the file has " + sections.size() + " sections)");
            }
            int count = (int) (rel.size() / REL_SIZE);
            List<ElfRelocation> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long at = rel.offset() + (long) i * REL_SIZE;
                String relWhere = where + " entry " + i + " at offset " + at;
                long offset = in.s64(at, relWhere);
                long info = in.s64(at + 8, relWhere);
                long symbol = info >>> 32;
                if (symbol >= symbolCount) {
                    throw new ElfFormatException(relWhere + ": symbol index " + symbol
                            + " is outside the " + symbolCount + "-entry symbol table");
                }
                entries.add(new ElfRelocation(offset, (int) symbol, (int) info));
            }
            return new ElfRelocations(rel, sections.get(rel.info()), entries);
        }
    }
}
