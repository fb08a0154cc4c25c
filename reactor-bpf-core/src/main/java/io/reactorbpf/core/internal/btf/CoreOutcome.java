package io.reactorbpf.core.internal.btf;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.CoreRelocationException;
import io.reactorbpf.core.btf.BtfType;

/**
 * What a relocation computes, as libbpf's {@code bpf_core_relo_res}: the value for the local spec (which the
 * instruction must already hold when {@code validate}) and for the target spec, whether the instruction is to
 * be poisoned, and for a field load or store the memory sizes on both sides and whether resizing the access
 * would read the value wrongly. Immutable.
 */
record CoreOutcome(long localValue, long targetValue, boolean poison, boolean validate, boolean badResize,
                   long localSize, long targetSize) {

    /** The outcome when local and target agree that the value is {@code value}, unchecked against the instruction. */
    static CoreOutcome unchecked(long value) {
        return new CoreOutcome(value, value, false, false, false, 0, 0);
    }

    /**
     * Computes relocation {@code kind} for {@code local} and {@code target}; a null target means no candidate
     * matched, which yields 0 for the exists kinds and the type kinds, and poison for the rest.
     */
    static CoreOutcome of(CoreReloKind kind, CoreSpec local, CoreSpec target) {
        if (kind.isFieldBased()) {
            return fields(kind, local, target);
        }
        if (kind.isEnumValueBased()) {
            long localValue = enumValue(kind, local);
            if (target == null && kind == CoreReloKind.ENUMVAL_VALUE) {
                return new CoreOutcome(localValue, 0, true, true, false, 0, 0);
            }
            return new CoreOutcome(localValue, enumValue(kind, target), false, true, false, 0, 0);
        }
        return new CoreOutcome(typeValue(kind, local), typeValue(kind, target), false,
                kind != CoreReloKind.TYPE_ID_TARGET, false, 0, 0);
    }

    private static CoreOutcome fields(CoreReloKind kind, CoreSpec local, CoreSpec target) {
        Field l = Field.of(kind, local);
        if (target == null && kind != CoreReloKind.FIELD_EXISTS) {
            return new CoreOutcome(l.value, 0, true, l.validate, false, l.size, 0);
        }
        Field t = Field.of(kind, target);
        boolean badResize = false;
        if (l.size != t.size) {
            BtfType lt = local.btf().type(l.typeId);
            BtfType tt = target.btf().type(t.typeId);
            boolean pointers = lt instanceof BtfType.Ptr && tt instanceof BtfType.Ptr;
            boolean unsignedInts = lt instanceof BtfType.Int li && tt instanceof BtfType.Int ti
                    && !li.isSigned() && !ti.isSigned();
            // a narrower or wider load keeps a pointer or an unsigned value intact through zero extension
            badResize = !pointers && !unsignedInts;
        }
        return new CoreOutcome(l.value, t.value, false, l.validate, badResize, l.size, t.size);
    }

    private static long typeValue(CoreReloKind kind, CoreSpec spec) {
        if (spec == null) {
            return 0;
        }
        return switch (kind) {
            case TYPE_ID_TARGET -> spec.rootTypeId();
            case TYPE_EXISTS, TYPE_MATCHES -> 1;
            case TYPE_SIZE -> spec.btf().resolveSize(spec.rootTypeId());
            default -> throw new IllegalArgumentException(kind + " is not a type relocation");
        };
    }

    private static long enumValue(CoreReloKind kind, CoreSpec spec) {
        if (kind == CoreReloKind.ENUMVAL_EXISTS) {
            return spec == null ? 0 : 1;
        }
        CoreAccessor a = spec.accessors().get(0);
        return ((BtfType.Enumeration) spec.btf().type(a.typeId())).values().get(a.index()).value();
    }

    /**
     * A field relocation's value on one side; for a byte offset also the size and type of the memory access,
     * and whether the instruction's value can be checked (it cannot for bitfields, where compilers choose
     * their own load).
     */
    private record Field(long value, long size, int typeId, boolean validate) {

        static Field of(CoreReloKind kind, CoreSpec spec) {
            if (kind == CoreReloKind.FIELD_EXISTS) {
                return new Field(spec == null ? 0 : 1, 0, 0, true);
            }
            Btf btf = spec.btf();
            CoreAccessor last = spec.last();
            if (last.isArrayIndex()) {
                long size = btf.resolveSize(last.typeId());
                return switch (kind) {
                    case FIELD_BYTE_OFFSET -> new Field(spec.bitOffset() / 8, size, last.typeId(), true);
                    case FIELD_BYTE_SIZE -> new Field(size, 0, 0, true);
                    default -> throw new CoreRelocationException(kind + " cannot be applied to an array element");
                };
            }
            BtfType.Composite owner = (BtfType.Composite) btf.type(last.typeId());
            BtfType.Member member = owner.members().get(last.index());
            int fieldType = btf.skipModsAndTypedefs(member.type());
            BtfType type = btf.type(fieldType);
            long bitOffset = spec.bitOffset();
            long bitSize = owner.bitfieldSizes() ? member.bitfieldSize() : 0;
            boolean bitfield = bitSize > 0;
            long byteSize;
            long byteOffset;
            if (bitfield) {
                byteSize = storageSize(type, last.name());
                byteOffset = bitOffset / 8 / byteSize * byteSize;
                // the smallest naturally aligned load that covers every bit of the field
                while (bitOffset + bitSize - byteOffset * 8 > byteSize * 8) {
                    if (byteSize >= 8) {
                        throw new CoreRelocationException("bitfield " + last.name()
                                + " cannot be read with one load of at most 8 bytes");
                    }
                    byteSize *= 2;
                    byteOffset = bitOffset / 8 / byteSize * byteSize;
                }
            } else {
                byteSize = btf.resolveSize(fieldType);
                byteOffset = bitOffset / 8;
                bitSize = byteSize * 8;
            }
            return switch (kind) {
                case FIELD_BYTE_OFFSET -> bitfield
                        ? new Field(byteOffset, 0, 0, false)
                        : new Field(byteOffset, byteSize, fieldType, true);
                case FIELD_BYTE_SIZE -> new Field(byteSize, 0, 0, !bitfield);
                case FIELD_SIGNED -> new Field(isSigned(type) ? 1 : 0, 0, 0, true);
                case FIELD_LSHIFT_U64 -> new Field(64 - (bitOffset + bitSize - byteOffset * 8), 0, 0, !bitfield);
                case FIELD_RSHIFT_U64 -> new Field(64 - bitSize, 0, 0, true);
                default -> throw new IllegalArgumentException(kind + " is not a field relocation");
            };
        }

        private static long storageSize(BtfType type, String field) {
            long size = type instanceof BtfType.Int i ? i.size()
                    : type instanceof BtfType.Enumeration e ? Integer.toUnsignedLong(e.size()) : 0;
            if (size <= 0) {
                throw new CoreRelocationException("bitfield " + field + " has type " + type.kind()
                        + " '" + type.name() + "', which has no integer size");
            }
            return size;
        }

        private static boolean isSigned(BtfType type) {
            return (type instanceof BtfType.Int i && i.isSigned())
                    || (type instanceof BtfType.Enumeration e && e.signed());
        }
    }
}
