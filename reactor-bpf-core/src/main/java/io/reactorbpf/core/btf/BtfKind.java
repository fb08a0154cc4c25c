package io.reactorbpf.core.btf;

/**
 * The BTF kinds, numbered as in the kernel's {@code BTF_KIND_*} (bits 24-28 of {@code btf_type.info}).
 *
 * @since 0.1
 */
public enum BtfKind {
    /** Type id 0, void; never stored in a blob. */
    VOID,
    /** An integer, char or bool of a size and signedness. */
    INT,
    /** A pointer. */
    PTR,
    /** A fixed-length array. */
    ARRAY,
    /** A struct with its members. */
    STRUCT,
    /** A union with its members. */
    UNION,
    /** An enum with 32-bit values. */
    ENUM,
    /** A forward declaration of a struct or union. */
    FWD,
    /** A typedef. */
    TYPEDEF,
    /** The volatile qualifier. */
    VOLATILE,
    /** The const qualifier. */
    CONST,
    /** The restrict qualifier. */
    RESTRICT,
    /** A function: its name and prototype. */
    FUNC,
    /** A function's return and parameter types. */
    FUNC_PROTO,
    /** A global variable. */
    VAR,
    /** A data section (.data, .rodata, .bss, .maps, .ksyms) and the variables in it. */
    DATASEC,
    /** A floating-point type. */
    FLOAT,
    /** A declaration tag, {@code __attribute__((btf_decl_tag("...")))}. */
    DECL_TAG,
    /** A type tag, such as {@code __user} or {@code __rcu}. */
    TYPE_TAG,
    /** An enum with 64-bit values. */
    ENUM64;

    private static final BtfKind[] BY_NUMBER = values();

    /**
     * The kernel's number for this kind.
     *
     * @return the {@code BTF_KIND_} value, the kind bits of btf_type.info
     */
    public int number() {
        return ordinal();
    }

    /** The kind numbered {@code number}, or null when this reader does not know it. */
    static BtfKind of(int number) {
        return number > 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }
}
