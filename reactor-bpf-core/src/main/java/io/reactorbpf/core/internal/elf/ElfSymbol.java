package io.reactorbpf.core.internal.elf;

/**
 * One entry of the symbol table. Immutable.
 *
 * @param index        position in the symbol table; relocations refer to symbols by it
 * @param name         the name from the symbol string table, "" when unnamed
 * @param value        {@code st_value}: for BPF objects the byte offset inside its section
 * @param size         {@code st_size} in bytes
 * @param type         what the symbol names
 * @param binding      its linkage
 * @param visibility   {@code st_other} visibility
 * @param sectionIndex {@code st_shndx}: the section it lies in, or a reserved {@code SHN_*} value
 */
public record ElfSymbol(int index, String name, long value, long size, Type type, Binding binding,
                        Visibility visibility, int sectionIndex) {

    /** {@code st_shndx} of an undefined (extern) symbol. */
    public static final int SHN_UNDEF = 0;
    /** {@code st_shndx} of an absolute symbol. */
    public static final int SHN_ABS = 0xfff1;
    /** {@code st_shndx} of a common (not yet allocated) symbol. */
    public static final int SHN_COMMON = 0xfff2;

    /** {@code STT_*}: what kind of thing the symbol names. */
    public enum Type {
        NOTYPE, OBJECT, FUNC, SECTION, FILE, COMMON, TLS, OTHER;

        static Type of(int stt) {
            return stt <= TLS.ordinal() ? values()[stt] : OTHER;
        }
    }

    /** {@code STB_*}: who can see the symbol. */
    public enum Binding {
        LOCAL, GLOBAL, WEAK, OTHER;

        static Binding of(int stb) {
            return stb <= WEAK.ordinal() ? values()[stb] : OTHER;
        }
    }

    /** {@code STV_*}: visibility across linked objects. */
    public enum Visibility {
        DEFAULT, INTERNAL, HIDDEN, PROTECTED;

        static Visibility of(int stv) {
            return values()[stv & 3];
        }
    }

    /** True when the symbol is defined in a real section of this file (not undefined, absolute or common). */
    public boolean isDefined() {
        return sectionIndex != SHN_UNDEF && sectionIndex < 0xff00;
    }
}
