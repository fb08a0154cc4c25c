package io.reactorbpf.core.btf;

/** The BTF kinds, numbered as in the kernel's {@code BTF_KIND_*} (bits 24-28 of {@code btf_type.info}). */
public enum BtfKind {
    VOID, INT, PTR, ARRAY, STRUCT, UNION, ENUM, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, FUNC_PROTO,
    VAR, DATASEC, FLOAT, DECL_TAG, TYPE_TAG, ENUM64;

    private static final BtfKind[] BY_NUMBER = values();

    /** The kernel's number for this kind. */
    public int number() {
        return ordinal();
    }

    /** The kind numbered {@code number}, or null when this reader does not know it. */
    static BtfKind of(int number) {
        return number > 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }
}
