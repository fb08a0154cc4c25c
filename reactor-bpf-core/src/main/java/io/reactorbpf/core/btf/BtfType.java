package io.reactorbpf.core.btf;

import java.util.List;
import java.util.stream.IntStream;

/**
 * One BTF type, as a record per kind. Types refer to each other by id ({@code 0} is void); a type does
 * not know its own id, the {@link Btf} holding it does. All implementations are immutable records, equal
 * when their contents are equal, and safe to share between threads.
 *
 * @since 0.1
 */
public sealed interface BtfType {

    /**
     * The type's name; "" for anonymous types.
     *
     * @return the name as the string section holds it
     */
    String name();

    /**
     * The type's kind, which fixes its record class.
     *
     * @return the kind
     */
    BtfKind kind();

    /**
     * The ids of the types this one refers to, in encoding order.
     *
     * @return the referenced ids, 0 for void
     */
    IntStream references();

    /**
     * The type with id 0.
     *
     * @since 0.1
     */
    record Void() implements BtfType {
        /** The one void; {@link Btf#type(int)} returns it for id 0. */
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
     * @param name the type's name, such as {@code unsigned int}
     * @param size bytes it takes: 1, 2, 4, 8 or 16
     * @param encoding a combination of {@link #SIGNED}, {@link #CHAR}, {@link #BOOL}
     * @param bitOffset where the value starts within those bytes, in bits (0 but for old bitfield encodings)
     * @param bits the value's width in bits
     * @since 0.1
     */
    record Int(String name, int size, int encoding, int bitOffset, int bits) implements BtfType {
        /** Encoding bit: the integer is signed. */
        public static final int SIGNED = 1;
        /** Encoding bit: the integer is a char, printed as a character. */
        public static final int CHAR = 2;
        /** Encoding bit: the integer is a bool. */
        public static final int BOOL = 4;

        /**
         * Whether values are signed.
         *
         * @return true when the encoding has {@link #SIGNED}
         */
        public boolean isSigned() {
            return (encoding & SIGNED) != 0;
        }

        /**
         * Whether this is a char type.
         *
         * @return true when the encoding has {@link #CHAR}
         */
        public boolean isChar() {
            return (encoding & CHAR) != 0;
        }

        /**
         * Whether this is a bool type.
         *
         * @return true when the encoding has {@link #BOOL}
         */
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

    /**
     * A pointer to {@code type}.
     *
     * @param name "" (pointers are anonymous)
     * @param type the id of the type pointed to
     * @since 0.1
     */
    record Ptr(String name, int type) implements BtfType {
        public BtfKind kind() {
            return BtfKind.PTR;
        }

        public IntStream references() {
            return IntStream.of(type);
        }
    }

    /**
     * {@code length} elements of {@code type}, indexed by {@code indexType}.
     *
     * @param name "" (arrays are anonymous)
     * @param type the id of the element type
     * @param indexType the id of the index type, an integer
     * @param length the number of elements, unsigned
     * @since 0.1
     */
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
     * @param name         the member's name; "" for an anonymous struct or union member
     * @param type         the id of the member's type
     * @param bitOffset    offset from the start of the composite, in bits
     * @param bitfieldSize width in bits when the composite encodes bitfield sizes, else 0
     * @since 0.1
     */
    record Member(String name, int type, int bitOffset, int bitfieldSize) {
    }

    /**
     * STRUCT or UNION.
     *
     * @since 0.1
     */
    sealed interface Composite extends BtfType {
        /**
         * Bytes a value takes.
         *
         * @return the size, padding included
         */
        int size();

        /**
         * True when member offsets carry bitfield sizes ({@code kind_flag} set).
         *
         * @return whether {@link Member#bitfieldSize()} is meaningful
         */
        boolean bitfieldSizes();

        /**
         * The members, in declaration order.
         *
         * @return an unmodifiable list
         */
        List<Member> members();

        default IntStream references() {
            return members().stream().mapToInt(Member::type);
        }
    }

    /**
     * A struct.
     *
     * @param name the struct's tag, "" for an anonymous one
     * @param size bytes a value takes
     * @param bitfieldSizes whether member offsets carry bitfield sizes
     * @param members the members, in declaration order; copied
     * @since 0.1
     */
    record Struct(String name, int size, boolean bitfieldSizes, List<Member> members) implements Composite {
        /**
         * Copies the member list, so the record stays immutable.
         *
         * @param name the struct's tag, "" for an anonymous one
         * @param size bytes a value takes
         * @param bitfieldSizes whether member offsets carry bitfield sizes
         * @param members the members, in declaration order; copied
         */
        public Struct {
            members = List.copyOf(members);
        }

        public BtfKind kind() {
            return BtfKind.STRUCT;
        }
    }

    /**
     * A union.
     *
     * @param name the union's tag, "" for an anonymous one
     * @param size bytes a value takes, its largest member's rounded up
     * @param bitfieldSizes whether member offsets carry bitfield sizes
     * @param members the members, all at bit offset 0 but for bitfields; copied
     * @since 0.1
     */
    record Union(String name, int size, boolean bitfieldSizes, List<Member> members) implements Composite {
        /**
         * Copies the member list, so the record stays immutable.
         *
         * @param name the union's tag, "" for an anonymous one
         * @param size bytes a value takes, its largest member's rounded up
         * @param bitfieldSizes whether member offsets carry bitfield sizes
         * @param members the members, all at bit offset 0 but for bitfields; copied
         */
        public Union {
            members = List.copyOf(members);
        }

        public BtfKind kind() {
            return BtfKind.UNION;
        }
    }

    /**
     * One named value of an ENUM or ENUM64; for ENUM the value is read as signed or unsigned 32-bit.
     *
     * @param name the enumerator's name
     * @param value its value, sign- or zero-extended to 64 bits
     * @since 0.1
     */
    record Enumerator(String name, long value) {
    }

    /**
     * ENUM or ENUM64.
     *
     * @since 0.1
     */
    sealed interface Enumeration extends BtfType {
        /**
         * Bytes a value takes.
         *
         * @return 1, 2, 4 or 8
         */
        int size();

        /**
         * True when the values are signed ({@code kind_flag} set).
         *
         * @return whether values are read as signed
         */
        boolean signed();

        /**
         * The enumerators, in declaration order.
         *
         * @return an unmodifiable list
         */
        List<Enumerator> values();

        default IntStream references() {
            return IntStream.empty();
        }
    }

    /**
     * An enum with 32-bit values.
     *
     * @param name the enum's tag, "" for an anonymous one
     * @param size bytes a value takes
     * @param signed whether values are signed
     * @param values the enumerators; copied
     * @since 0.1
     */
    record Enum(String name, int size, boolean signed, List<Enumerator> values) implements Enumeration {
        /**
         * Copies the enumerator list, so the record stays immutable.
         *
         * @param name the enum's tag, "" for an anonymous one
         * @param size bytes a value takes
         * @param signed whether values are signed
         * @param values the enumerators; copied
         */
        public Enum {
            values = List.copyOf(values);
        }

        public BtfKind kind() {
            return BtfKind.ENUM;
        }
    }

    /**
     * An enum with 64-bit values.
     *
     * @param name the enum's tag, "" for an anonymous one
     * @param size bytes a value takes
     * @param signed whether values are signed
     * @param values the enumerators; copied
     * @since 0.1
     */
    record Enum64(String name, int size, boolean signed, List<Enumerator> values) implements Enumeration {
        /**
         * Copies the enumerator list, so the record stays immutable.
         *
         * @param name the enum's tag, "" for an anonymous one
         * @param size bytes a value takes
         * @param signed whether values are signed
         * @param values the enumerators; copied
         */
        public Enum64 {
            values = List.copyOf(values);
        }

        public BtfKind kind() {
            return BtfKind.ENUM64;
        }
    }

    /**
     * A forward declaration of a struct, or of a union when {@code union}.
     *
     * @param name the declared tag
     * @param union true for a union, false for a struct
     * @since 0.1
     */
    record Fwd(String name, boolean union) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FWD;
        }

        public IntStream references() {
            return IntStream.empty();
        }
    }

    /**
     * TYPEDEF, VOLATILE, CONST, RESTRICT and TYPE_TAG: another name or qualifier for {@code type()}.
     *
     * @since 0.1
     */
    sealed interface Qualifier extends BtfType {
        /**
         * The type named or qualified.
         *
         * @return its id
         */
        int type();

        default IntStream references() {
            return IntStream.of(type());
        }
    }

    /**
     * A typedef.
     *
     * @param name the new name
     * @param type the id of the type it names
     * @since 0.1
     */
    record Typedef(String name, int type) implements Qualifier {
        public BtfKind kind() {
            return BtfKind.TYPEDEF;
        }
    }

    /**
     * {@code volatile type}.
     *
     * @param name ""
     * @param type the id of the qualified type
     * @since 0.1
     */
    record Volatile(String name, int type) implements Qualifier {
        public BtfKind kind() {
            return BtfKind.VOLATILE;
        }
    }

    /**
     * {@code const type}.
     *
     * @param name ""
     * @param type the id of the qualified type
     * @since 0.1
     */
    record Const(String name, int type) implements Qualifier {
        public BtfKind kind() {
            return BtfKind.CONST;
        }
    }

    /**
     * {@code restrict type}.
     *
     * @param name ""
     * @param type the id of the qualified pointer type
     * @since 0.1
     */
    record Restrict(String name, int type) implements Qualifier {
        public BtfKind kind() {
            return BtfKind.RESTRICT;
        }
    }

    /**
     * {@code btf_type_tag} on {@code type}; {@code attribute} is the kernel's kind_flag (a plain attribute).
     *
     * @param name the tag, such as {@code user} or {@code rcu}
     * @param type the id of the tagged type
     * @param attribute whether the tag is a plain attribute rather than a btf_type_tag
     * @since 0.1
     */
    record TypeTag(String name, int type, boolean attribute) implements Qualifier {
        public BtfKind kind() {
            return BtfKind.TYPE_TAG;
        }
    }

    /**
     * A function; {@code type} is its FUNC_PROTO.
     *
     * @param name the function's name, as kernel BTF lists attachable kernel functions
     * @param type the id of its FUNC_PROTO
     * @param linkage static, global or extern
     * @since 0.1
     */
    record Func(String name, int type, BtfLinkage linkage) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FUNC;
        }

        public IntStream references() {
            return IntStream.of(type);
        }
    }

    /**
     * A function parameter; a last parameter with no name and type 0 marks a variadic function.
     *
     * @param name the parameter's name, "" when unnamed
     * @param type the id of its type
     * @since 0.1
     */
    record Param(String name, int type) {
    }

    /**
     * A function's signature.
     *
     * @param name "" (prototypes are anonymous)
     * @param returnType the id of the return type, 0 for void
     * @param params the parameters in order; copied
     * @since 0.1
     */
    record FuncProto(String name, int returnType, List<Param> params) implements BtfType {
        /**
         * Copies the parameter list, so the record stays immutable.
         *
         * @param name "" (prototypes are anonymous)
         * @param returnType the id of the return type, 0 for void
         * @param params the parameters in order; copied
         */
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

    /**
     * A global or static variable of {@code type}.
     *
     * @param name the variable's name
     * @param type the id of its type
     * @param linkage static, global or extern
     * @since 0.1
     */
    record Var(String name, int type, BtfLinkage linkage) implements BtfType {
        public BtfKind kind() {
            return BtfKind.VAR;
        }

        public IntStream references() {
            return IntStream.of(type);
        }
    }

    /**
     * Where variable {@code type} (a VAR) lies in its data section: byte offset and size.
     *
     * @param type the id of the VAR
     * @param offset its byte offset in the section
     * @param size bytes it takes
     * @since 0.1
     */
    record VarSecinfo(int type, int offset, int size) {
    }

    /**
     * An ELF data section (.data, .rodata, .bss, .maps, ...) and the variables in it.
     *
     * @param name the section's name
     * @param size its size in bytes; 0 in compiler output until the loader fills it in
     * @param vars its variables, by offset; copied
     * @since 0.1
     */
    record Datasec(String name, int size, List<VarSecinfo> vars) implements BtfType {
        /**
         * Copies the variable list, so the record stays immutable.
         *
         * @param name the section's name
         * @param size its size in bytes; 0 in compiler output until the loader fills it in
         * @param vars its variables, by offset; copied
         */
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

    /**
     * A floating-point type.
     *
     * @param name the type's name, such as {@code double}
     * @param size bytes it takes: 2, 4, 8, 12 or 16
     * @since 0.1
     */
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
     *
     * @param name the tag's text
     * @param type the id of the tagged type, function or variable
     * @param componentIndex the tagged member or parameter, or -1 for the type itself
     * @param attribute whether the tag is a plain attribute rather than a btf_decl_tag
     * @since 0.1
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
