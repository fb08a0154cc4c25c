package io.reactorbpf.core.internal.btf;

/** BTF kinds and encodings that older kernels reject; {@link BtfSanitizer} rewrites what a kernel lacks. */
public enum BtfFeature {
    /** FUNC and FUNC_PROTO (Linux 5.0). */
    FUNC,
    /** FUNC with global linkage (Linux 5.6). */
    FUNC_GLOBAL,
    /** VAR and DATASEC (Linux 5.2). */
    DATASEC,
    /** FLOAT (Linux 5.13). */
    FLOAT,
    /** DECL_TAG (Linux 5.16). */
    DECL_TAG,
    /** TYPE_TAG (Linux 5.17). */
    TYPE_TAG,
    /** ENUM64 and signed ENUM (Linux 6.0). */
    ENUM64
}
