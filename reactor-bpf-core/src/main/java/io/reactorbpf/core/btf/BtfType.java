package io.reactorbpf.core.btf;

import java.util.List;
import java.util.stream.IntStream;

/**
 * One BTF type, as a record per kind. Types refer to each other by id ({@code 0} is void); a type does
 * not know its own id, the {@link Btf} holding it does. All implementations are immutable records, equal
 * when their contents are equal, and safe to share between threads.
 */
public sealed interface BtfType {

    /** The type's name; "" for anonymous types. */
    String name();

    BtfKind kind();

    /** The ids of the types this one refers to, in encoding order. */
    IntStream references();

    /** The type with id 0. */
    record Void() implements BtfType {
        public static final Void INSTANCE = new Void();

        public String name() {
            return "void";
        }

        public BtfKind kind() {
            return BtfKind.VOID;
        }

        public IntStream references() {
            return IntStream.empty();
        }
    }

    /**
     * An integer of {@code size} bytes whose value occupies {@code bits} bits starting {@code bitOffset} bits in.
     *
     * @param encoding a combination of {@link #SIGNED}, {@link #CHAR}, {@link #BOOL}
     */
    record Int(String name, int size, int encoding, int bitOffset, int bits) implements BtfType {
        public static final int SIGNED = 1;
        public static final int CHAR = 2;
        public static final int BOOL = 4;

        public boolean isSigned() {
            return (encoding & SIGNED) != 0;
        }

        public boolean isChar() {
            return (encoding & CHAR) != 0;
        }

        public boolean isBool() {
            return (encoding & BOOL) != 0;
        }

        public BtfKind kind() {
            return BtfKind.INT;
        }

        public IntStream references() {
            return IntStream.empty();
        }
    }

    /** A pointer to {@code type}. */
    record Ptr(String name, int type) implements BtfType {
        public BtfKind kind() {
            return BtfKind.PTR;
        }

        public IntStream references() {
            return IntStream.of(type);
        }
    }

    /** {@code length} elements of {@code type}, indexed by {@code indexType}. */
    record Array(String name, int type, int indexType, int length) implements BtfType {
        public BtfKind kind() {
            return BtfKind.ARRAY;
        }

        public IntStream references() {
            return IntStream.of(type, indexType);
        }
    }

    /**
     * A struct or union member.
     *
     * @param bitOffset    offset from the start of the composite, in bits
     * @param bitfieldSize width in bits when the composite encodes bitfield sizes, else 0
     */
    record Member(String name, int type, int bitOffset, int bitfieldSize) {
    }

    /** STRUCT or UNION. */
    sealed interface Composite extends BtfType {
        int size();

        /** True when member offsets carry bitfield sizes ({@code kind_flag} set). */
        boolean bitfieldSizes();

        List<Member> members();

        default IntStream references() {
            return members().stream().mapToInt(Member::type);
        }
    }

    record Struct(String name, int size, boolean bitfieldSizes, List<Member> members) implements Composite {
        public Struct {
            members = List.copyOf(members);
        }

        public BtfKind kind() {
            return BtfKind.STRUCT;
        }
    }

    record Union(String name, int size, boolean bitfieldSizes, List<Member> members) implements Composite {
        public Union {
            members = List.copyOf(members);
        }

        public BtfKind kind() {
            return BtfKind.UNION;
        }
    }

    /** One named value of an ENUM or ENUM64; for ENUM the value is read as signed or unsigned 32-bit. */
    record Enumerator(String name, long value) {
    }

    /** ENUM or ENUM64. */
    sealed interface Enumeration extends BtfType {
        int size();

        /** True when the values are signed ({@code kind_flag} set). */
        boolean signed();

        List<Enumerator> values();

        default IntStream references() {
            return IntStream.empty();
        }
    }

    /** An enum with 32-bit values. */
    record Enum(String name, int size, boolean signed, List<Enumerator> values) implements Enumeration {
        public Enum {
            values = List.copyOf(values);
        }

        public BtfKind kind() {
            return BtfKind.ENUM;
        }
    }

    /** An enum with 64-bit values. */
    record Enum64(String name, int size, boolean signed, List<Enumerator> values) implements Enumeration {
        public Enum64 {
            values = List.copyOf(values);
        }

        public BtfKind kind() {
            return BtfKind.ENUM64;
        }
    }

    /** A forward declaration of a struct, or of a union when {@code union}. */
    record Fwd(String name, boolean union) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FWD;
        }

        public IntStream references() {
            return IntStream.empty();
        }
    }

    /** TYPEDEF, VOLATILE, CONST, RESTRICT and TYPE_TAG: another name or qualifier for {@code type()}. */
    sealed interface Qualifier extends BtfType {
        int type();

        default IntStream references() {
            return IntStream.of(type());
        }
    }

    record Typedef(String name, int type) implements Qualifier {
        public BtfKind kind() {
            return BtfKind.TYPEDEF;
        }
    }

    record Volatile(String name, int type) implements Qualifier {
        public BtfKind kind() {
            return BtfKind.VOLATILE;
        }
    }

    record Const(String name, int type) implements Qualifier {
        public BtfKind kind() {
            return BtfKind.CONST;
        }
    }

    record Restrict(String name, int type) implements Qualifier {
        public BtfKind kind() {
            return BtfKind.RESTRICT;
        }
    }

    /** {@code btf_type_tag} on {@code type}; {@code attribute} is the kernel's kind_flag (a plain attribute). */
    record TypeTag(String name, int type, boolean attribute) implements Qualifier {
        public BtfKind kind() {
            return BtfKind.TYPE_TAG;
        }
    }

    /** A function; {@code type} is its FUNC_PROTO. */
    record Func(String name, int type, BtfLinkage linkage) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FUNC;
        }

        public IntStream references() {
            return IntStream.of(type);
        }
    }

    /** A function parameter; a last parameter with no name and type 0 marks a variadic function. */
    record Param(String name, int type) {
    }

    record FuncProto(String name, int returnType, List<Param> params) implements BtfType {
        public FuncProto {
            params = List.copyOf(params);
        }

        public BtfKind kind() {
            return BtfKind.FUNC_PROTO;
        }

        public IntStream references() {
            return IntStream.concat(IntStream.of(returnType), params.stream().mapToInt(Param::type));
        }
    }

    /** A global or static variable of {@code type}. */
    record Var(String name, int type, BtfLinkage linkage) implements BtfType {
        public BtfKind kind() {
            return BtfKind.VAR;
        }

        public IntStream references() {
            return IntStream.of(type);
        }
    }

    /** Where variable {@code type} (a VAR) lies in its data section: byte offset and size. */
    record VarSecinfo(int type, int offset, int size) {
    }

    /** An ELF data section (.data, .rodata, .bss, .maps, ...) and the variables in it. */
    record Datasec(String name, int size, List<VarSecinfo> vars) implements BtfType {
        public Datasec {
            vars = List.copyOf(vars);
        }

        public BtfKind kind() {
            return BtfKind.DATASEC;
        }

        public IntStream references() {
            return vars.stream().mapToInt(VarSecinfo::type);
        }
    }

    record Float(String name, int size) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FLOAT;
        }

        public IntStream references() {
            return IntStream.empty();
        }
    }

    /**
     * {@code btf_decl_tag} {@code name} on {@code type}, or on its member or parameter {@code componentIndex}
     * ({@code -1} for the type itself); {@code attribute} is the kernel's kind_flag (a plain attribute).
     */
    record DeclTag(String name, int type, int componentIndex, boolean attribute) implements BtfType {
        public BtfKind kind() {
            return BtfKind.DECL_TAG;
        }

        public IntStream references() {
            return IntStream.of(type);
        }
    }
}
