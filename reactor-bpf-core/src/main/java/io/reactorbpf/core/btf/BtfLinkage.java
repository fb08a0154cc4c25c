package io.reactorbpf.core.btf;

/**
 * Linkage of a FUNC or VAR, numbered as {@code BTF_FUNC_*} / {@code BTF_VAR_*}.
 *
 * @since 0.1
 */
public enum BtfLinkage {
    /** Visible inside the object only ({@code static}). */
    STATIC,
    /** Defined here and visible to other objects (for VAR: global, allocated). */
    GLOBAL,
    /** Declared here, defined elsewhere. */
    EXTERN;

    static BtfLinkage of(int number) {
        return number >= 0 && number < 3 ? values()[number] : null;
    }
}
