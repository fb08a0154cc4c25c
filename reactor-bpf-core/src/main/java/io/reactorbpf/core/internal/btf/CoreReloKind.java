package io.reactorbpf.core.internal.btf;

/** What a CO-RE relocation asks for, numbered as the kernel's {@code enum bpf_core_relo_kind}. */
public enum CoreReloKind {
    FIELD_BYTE_OFFSET, FIELD_BYTE_SIZE, FIELD_EXISTS, FIELD_SIGNED, FIELD_LSHIFT_U64, FIELD_RSHIFT_U64,
    TYPE_ID_LOCAL, TYPE_ID_TARGET, TYPE_EXISTS, TYPE_SIZE, ENUMVAL_EXISTS, ENUMVAL_VALUE, TYPE_MATCHES;

    /** The kernel's number for this kind. */
    public int number() {
        return ordinal();
    }

    /** True for the kinds whose access string walks fields of a struct or union. */
    public boolean isFieldBased() {
        return ordinal() <= FIELD_RSHIFT_U64.ordinal();
    }

    /** True for the kinds whose access string names one enumerator. */
    public boolean isEnumValueBased() {
        return this == ENUMVAL_EXISTS || this == ENUMVAL_VALUE;
    }

    static CoreReloKind of(long number) {
        return number >= 0 && number < values().length ? values()[(int) number] : null;
    }
}
