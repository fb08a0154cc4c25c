package io.reactorbpf.core.btf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Decodes a raw BTF blob (header, type section, string section) into the {@link Btf} model. */
final class BtfReader {

    static final int MAGIC = 0xeb9f;
    static final int HEADER_SIZE = 24;
    private static final int TYPE_SIZE = 12;

    private final byte[] data;
    private final Btf base;
    private int typesStart;
    private int typesEnd;
    private BtfStrings strings;

    private BtfReader(byte[] data, Btf base) {
        this.data = data;
        this.base = base;
    }

    static Btf read(byte[] data, Btf base) {
        return new BtfReader(data, base).read();
    }

    private Btf read() {
        readHeader();
        int firstId = base == null ? 1 : base.typeCount() + 1;
        List<BtfType> types = new ArrayList<>();
        int at = typesStart;
        while (at < typesEnd) {
            int id = firstId + types.size();
            at = readType(id, at, types);
        }
        Btf btf = new Btf(base, types, strings);
        btf.checkReferences();
        return btf;
    }

    private void readHeader() {
        if (data.length < HEADER_SIZE) {
            throw new BtfFormatException("BTF header: " + data.length + " bytes is shorter than the "
                    + HEADER_SIZE + "-byte header");
        }
        int magic = u16(0);
        if (magic != MAGIC) {
            String hint = magic == 0x9feb ? " (big-endian BTF; this reader takes little-endian BTF)" : "";
            throw new BtfFormatException("BTF header at offset 0: magic 0x" + Integer.toHexString(magic)
                    + " is not 0xeb9f" + hint);
        }
        if ((data[2] & 0xff) != 1) {
            throw new BtfFormatException("BTF header at offset 2: version " + (data[2] & 0xff) + " is not 1");
        }
        long hdrLen = u32(4);
        if (hdrLen < HEADER_SIZE || hdrLen > data.length) {
            throw new BtfFormatException("BTF header at offset 4: hdr_len " + hdrLen + " must be between "
                    + HEADER_SIZE + " and the blob size " + data.length);
        }
        for (long i = HEADER_SIZE; i < hdrLen; i++) {
            if (data[(int) i] != 0) {
                throw new BtfFormatException("BTF header at offset " + i
                        + ": unknown header field is not zero; this BTF needs a newer reader");
            }
        }
        long typeOff = u32(8);
        long typeLen = u32(12);
        long strOff = u32(16);
        long strLen = u32(20);
        typesStart = section("type", hdrLen, typeOff, typeLen);
        typesEnd = typesStart + (int) typeLen;
        if (typeLen % 4 != 0) {
            throw new BtfFormatException("BTF header at offset 12: type_len " + typeLen + " is not a multiple of 4");
        }
        int stringsStart = section("string", hdrLen, strOff, strLen);
        if (stringsStart < typesEnd && typesStart < stringsStart + strLen) {
            throw new BtfFormatException("BTF header: the type section [" + typeOff + ", +" + typeLen
                    + ") and the string section [" + strOff + ", +" + strLen + ") overlap");
        }
        byte[] table = Arrays.copyOfRange(data, stringsStart, stringsStart + (int) strLen);
        if (base == null && (table.length == 0 || table[0] != 0)) {
            throw new BtfFormatException("BTF string section at offset " + stringsStart
                    + ": must start with the empty string (a NUL byte)");
        }
        if (table.length > 0 && table[table.length - 1] != 0) {
            throw new BtfFormatException("BTF string section at offset " + stringsStart
                    + ": the last string is not NUL-terminated");
        }
        strings = new BtfStrings(base == null ? null : base.strings(), table);
    }

    private int section(String what, long hdrLen, long off, long len) {
        long start = hdrLen + off;
        if (start > data.length || len > data.length - start) {
            throw new BtfFormatException("BTF header: the " + what + " section [" + off + ", +" + len
                    + ") after the " + hdrLen + "-byte header lies outside the " + data.length + "-byte blob");
        }
        return (int) start;
    }

    /** Reads the type at {@code at} into {@code types} and returns the offset of the next one. */
    private int readType(int id, int at, List<BtfType> types) {
        need(at, TYPE_SIZE, id, "type header");
        String where = "BTF type [" + id + "] at offset " + at;
        long nameOff = u32(at);
        int info = s32(at + 4);
        int sizeOrType = s32(at + 8);
        int vlen = info & 0xffff;
        int kindNumber = (info >>> 24) & 0x1f;
        boolean kindFlag = info < 0;
        BtfKind kind = BtfKind.of(kindNumber);
        if (kind == null) {
            throw new BtfFormatException(where + ": unknown kind " + kindNumber
                    + "; this BTF was written by a newer compiler or kernel than this reader knows");
        }
        String name = nameOff == 0 ? "" : strings.at(nameOff, where);
        int p = at + TYPE_SIZE;
        BtfType type = switch (kind) {
            case INT -> {
                need(p, 4, id, "INT encoding");
                int enc = s32(p);
                p += 4;
                yield integer(where, name, sizeOrType, (enc >>> 24) & 0xf, (enc >>> 16) & 0xff, enc & 0xff);
            }
            case PTR -> new BtfType.Ptr(name, sizeOrType);
            case ARRAY -> {
                need(p, 12, id, "ARRAY data");
                BtfType.Array a = new BtfType.Array(name, s32(p), s32(p + 4), s32(p + 8));
                p += 12;
                yield a;
            }
            case STRUCT, UNION -> {
                need(p, vlen * 12L, id, vlen + " members");
                List<BtfType.Member> members = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++, p += 12) {
                    long memberName = u32(p);
                    int offset = s32(p + 8);
                    members.add(new BtfType.Member(memberName == 0 ? "" : strings.at(memberName, where + " member " + i),
                            s32(p + 4), kindFlag ? offset & 0xffffff : offset, kindFlag ? offset >>> 24 : 0));
                }
                yield kind == BtfKind.STRUCT
                        ? new BtfType.Struct(name, sizeOrType, kindFlag, members)
                        : new BtfType.Union(name, sizeOrType, kindFlag, members);
            }
            case ENUM, ENUM64 -> {
                if (sizeOrType != 1 && sizeOrType != 2 && sizeOrType != 4 && sizeOrType != 8) {
                    throw new BtfFormatException(where + ": " + kind + " '" + name + "' has size " + sizeOrType
                            + "; an enum is 1, 2, 4 or 8 bytes");
                }
                int rec = kind == BtfKind.ENUM ? 8 : 12;
                need(p, (long) vlen * rec, id, vlen + " enumerators");
                List<BtfType.Enumerator> values = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++, p += rec) {
                    long valueName = u32(p);
                    long value = kind == BtfKind.ENUM64 ? u32(p + 4) | (u32(p + 8) << 32)
                            : kindFlag ? s32(p + 4) : u32(p + 4);
                    values.add(new BtfType.Enumerator(valueName == 0 ? "" : strings.at(valueName, where + " enumerator " + i), value));
                }
                yield kind == BtfKind.ENUM
                        ? new BtfType.Enum(name, sizeOrType, kindFlag, values)
                        : new BtfType.Enum64(name, sizeOrType, kindFlag, values);
            }
            case FWD -> new BtfType.Fwd(name, kindFlag);
            case TYPEDEF -> new BtfType.Typedef(name, sizeOrType);
            case VOLATILE -> new BtfType.Volatile(name, sizeOrType);
            case CONST -> new BtfType.Const(name, sizeOrType);
            case RESTRICT -> new BtfType.Restrict(name, sizeOrType);
            case TYPE_TAG -> new BtfType.TypeTag(name, sizeOrType, kindFlag);
            case FUNC -> new BtfType.Func(name, sizeOrType, linkage(vlen, where));
            case FUNC_PROTO -> {
                need(p, vlen * 8L, id, vlen + " parameters");
                List<BtfType.Param> params = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++, p += 8) {
                    long paramName = u32(p);
                    params.add(new BtfType.Param(paramName == 0 ? "" : strings.at(paramName, where + " parameter " + i),
                            s32(p + 4)));
                }
                yield new BtfType.FuncProto(name, sizeOrType, params);
            }
            case VAR -> {
                need(p, 4, id, "VAR linkage");
                BtfType.Var v = new BtfType.Var(name, sizeOrType, linkage(s32(p), where));
                p += 4;
                yield v;
            }
            case DATASEC -> {
                need(p, vlen * 12L, id, vlen + " variables");
                List<BtfType.VarSecinfo> vars = new ArrayList<>(vlen);
                for (int i = 0; i < vlen; i++, p += 12) {
                    vars.add(new BtfType.VarSecinfo(s32(p), s32(p + 4), s32(p + 8)));
                }
                yield new BtfType.Datasec(name, sizeOrType, vars);
            }
            case FLOAT -> {
                if (sizeOrType != 2 && sizeOrType != 4 && sizeOrType != 8 && sizeOrType != 12 && sizeOrType != 16) {
                    throw new BtfFormatException(where + ": FLOAT '" + name + "' has size " + sizeOrType
                            + "; a float is 2, 4, 8, 12 or 16 bytes");
                }
                yield new BtfType.Float(name, sizeOrType);
            }
            case DECL_TAG -> {
                need(p, 4, id, "DECL_TAG component index");
                BtfType.DeclTag t = new BtfType.DeclTag(name, sizeOrType, s32(p), kindFlag);
                p += 4;
                yield t;
            }
            case VOID -> throw new IllegalStateException("kind 0 is filtered by BtfKind.of");
        };
        types.add(type);
        return p;
    }

    /** An INT as the kernel's BTF checker accepts it: 1 to 16 bytes, its bits inside them, one encoding at most. */
    private static BtfType.Int integer(String where, String name, int size, int encoding, int bitOffset, int bits) {
        if (size != 1 && size != 2 && size != 4 && size != 8 && size != 16) {
            throw new BtfFormatException(where + ": INT '" + name + "' has size " + size
                    + "; an integer is 1, 2, 4, 8 or 16 bytes");
        }
        if (bitOffset + bits > size * 8) {
            throw new BtfFormatException(where + ": INT '" + name + "' has " + bits + " bits at bit offset " + bitOffset
                    + ", which do not fit in its " + size + " bytes");
        }
        if (encoding != 0 && encoding != BtfType.Int.SIGNED && encoding != BtfType.Int.CHAR
                && encoding != BtfType.Int.BOOL) {
            throw new BtfFormatException(where + ": INT '" + name + "' has encoding " + encoding
                    + "; it is one of signed (1), char (2) or bool (4) at most");
        }
        return new BtfType.Int(name, size, encoding, bitOffset, bits);
    }

    private static BtfLinkage linkage(int number, String where) {
        BtfLinkage linkage = BtfLinkage.of(number);
        if (linkage == null) {
            throw new BtfFormatException(where + ": unknown linkage " + number);
        }
        return linkage;
    }

    private void need(int at, long bytes, int id, String what) {
        if (bytes > typesEnd - at) {
            throw new BtfFormatException("BTF type [" + id + "] at offset " + at + ": " + what + " (" + bytes
                    + " bytes) run past the end of the type section at offset " + typesEnd);
        }
    }

    private int u16(int at) {
        return (data[at] & 0xff) | (data[at + 1] & 0xff) << 8;
    }

    private int s32(int at) {
        return (data[at] & 0xff) | (data[at + 1] & 0xff) << 8 | (data[at + 2] & 0xff) << 16 | data[at + 3] << 24;
    }

    private long u32(int at) {
        return s32(at) & 0xffffffffL;
    }
}
