package io.reactorbpf.core.btf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Encodes a {@link Btf}'s own types and strings as a raw little-endian BTF blob. */
final class BtfWriter {

    private final Btf btf;
    private final BtfStrings original;
    private final Map<String, Integer> offsets = new HashMap<>();
    private final ByteArrayOutputStream added = new ByteArrayOutputStream();

    private BtfWriter(Btf btf) {
        this.btf = btf;
        this.original = btf.strings();
    }

    static byte[] write(Btf btf) {
        return new BtfWriter(btf).write();
    }

    private byte[] write() {
        indexOriginalStrings(original);
        List<BtfType> types = btf.types();
        int typeLen = 0;
        for (BtfType t : types) {
            typeLen += 12 + extraSize(t);
        }
        ByteBuffer typeSection = ByteBuffer.allocate(typeLen).order(ByteOrder.LITTLE_ENDIAN);
        int id = btf.firstTypeId();
        for (BtfType t : types) {
            encode(id++, t, typeSection);
        }
        byte[] own = original.bytes();
        byte[] extra = added.toByteArray();
        int strLen = own.length + extra.length;
        ByteBuffer out = ByteBuffer.allocate(BtfReader.HEADER_SIZE + typeLen + strLen).order(ByteOrder.LITTLE_ENDIAN);
        out.putShort((short) BtfReader.MAGIC).put((byte) 1).put((byte) 0).putInt(BtfReader.HEADER_SIZE)
                .putInt(0).putInt(typeLen).putInt(typeLen).putInt(strLen);
        out.put(typeSection.array()).put(own).put(extra);
        return out.array();
    }

    /** Maps every string already in the section(s) to its first offset, so unchanged names keep their offsets. */
    private void indexOriginalStrings(BtfStrings table) {
        if (table.base() != null) {
            indexOriginalStrings(table.base());
        }
        byte[] bytes = table.bytes();
        int from = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                offsets.putIfAbsent(new String(bytes, from, i - from, StandardCharsets.UTF_8), table.start() + from);
                from = i + 1;
            }
        }
    }

    private int offset(String name) {
        Integer known = offsets.get(name);
        if (known != null) {
            return known;
        }
        int at = original.end() + added.size();
        added.writeBytes(name.getBytes(StandardCharsets.UTF_8));
        added.write(0);
        offsets.put(name, at);
        return at;
    }

    private static int extraSize(BtfType t) {
        return switch (t.kind()) {
            case INT, VAR, DECL_TAG -> 4;
            case ARRAY -> 12;
            case STRUCT, UNION -> 12 * ((BtfType.Composite) t).members().size();
            case ENUM -> 8 * ((BtfType.Enum) t).values().size();
            case ENUM64 -> 12 * ((BtfType.Enum64) t).values().size();
            case FUNC_PROTO -> 8 * ((BtfType.FuncProto) t).params().size();
            case DATASEC -> 12 * ((BtfType.Datasec) t).vars().size();
            default -> 0;
        };
    }

    private void encode(int id, BtfType t, ByteBuffer out) {
        int nameOff = t.name().isEmpty() ? 0 : offset(t.name());
        switch (t.kind()) {
            case INT -> {
                BtfType.Int i = (BtfType.Int) t;
                header(out, nameOff, t, 0, false, i.size());
                out.putInt((i.encoding() & 0xf) << 24 | (i.bitOffset() & 0xff) << 16 | (i.bits() & 0xff));
            }
            case PTR -> header(out, nameOff, t, 0, false, ((BtfType.Ptr) t).type());
            case ARRAY -> {
                BtfType.Array a = (BtfType.Array) t;
                header(out, nameOff, t, 0, false, 0);
                out.putInt(a.type()).putInt(a.indexType()).putInt(a.length());
            }
            case STRUCT, UNION -> {
                BtfType.Composite c = (BtfType.Composite) t;
                header(out, nameOff, t, vlen(id, c.members()), c.bitfieldSizes(), c.size());
                for (BtfType.Member m : c.members()) {
                    int offset = m.bitOffset();
                    if (c.bitfieldSizes()) {
                        if ((offset & ~0xffffff) != 0 || (m.bitfieldSize() & ~0xff) != 0) {
                            throw new BtfFormatException("type [" + id + "] member '" + m.name() + "': bit offset "
                                    + offset + " or bitfield size " + m.bitfieldSize() + " does not fit 24 + 8 bits");
                        }
                        offset |= m.bitfieldSize() << 24;
                    }
                    out.putInt(m.name().isEmpty() ? 0 : offset(m.name())).putInt(m.type()).putInt(offset);
                }
            }
            case ENUM, ENUM64 -> {
                BtfType.Enumeration e = (BtfType.Enumeration) t;
                header(out, nameOff, t, vlen(id, e.values()), e.signed(), e.size());
                for (BtfType.Enumerator v : e.values()) {
                    out.putInt(v.name().isEmpty() ? 0 : offset(v.name())).putInt((int) v.value());
                    if (t.kind() == BtfKind.ENUM64) {
                        out.putInt((int) (v.value() >>> 32));
                    }
                }
            }
            case FWD -> header(out, nameOff, t, 0, ((BtfType.Fwd) t).union(), 0);
            case TYPEDEF, VOLATILE, CONST, RESTRICT -> header(out, nameOff, t, 0, false, ((BtfType.Qualifier) t).type());
            case TYPE_TAG -> {
                BtfType.TypeTag tag = (BtfType.TypeTag) t;
                header(out, nameOff, t, 0, tag.attribute(), tag.type());
            }
            case FUNC -> {
                BtfType.Func f = (BtfType.Func) t;
                header(out, nameOff, t, f.linkage().ordinal(), false, f.type());
            }
            case FUNC_PROTO -> {
                BtfType.FuncProto f = (BtfType.FuncProto) t;
                header(out, nameOff, t, vlen(id, f.params()), false, f.returnType());
                for (BtfType.Param p : f.params()) {
                    out.putInt(p.name().isEmpty() ? 0 : offset(p.name())).putInt(p.type());
                }
            }
            case VAR -> {
                BtfType.Var v = (BtfType.Var) t;
                header(out, nameOff, t, 0, false, v.type());
                out.putInt(v.linkage().ordinal());
            }
            case DATASEC -> {
                BtfType.Datasec d = (BtfType.Datasec) t;
                header(out, nameOff, t, vlen(id, d.vars()), false, d.size());
                for (BtfType.VarSecinfo v : d.vars()) {
                    out.putInt(v.type()).putInt(v.offset()).putInt(v.size());
                }
            }
            case FLOAT -> header(out, nameOff, t, 0, false, ((BtfType.Float) t).size());
            case DECL_TAG -> {
                BtfType.DeclTag tag = (BtfType.DeclTag) t;
                header(out, nameOff, t, 0, tag.attribute(), tag.type());
                out.putInt(tag.componentIndex());
            }
            case VOID -> throw new IllegalArgumentException("type [" + id + "]: void (id 0) cannot be written as a type");
        }
    }

    private static int vlen(int id, List<?> items) {
        if (items.size() > 0xffff) {
            throw new BtfFormatException("type [" + id + "] has " + items.size() + " entries; BTF allows 65535");
        }
        return items.size();
    }

    private static void header(ByteBuffer out, int nameOff, BtfType t, int vlen, boolean kindFlag, int sizeOrType) {
        out.putInt(nameOff).putInt((kindFlag ? 1 << 31 : 0) | t.kind().number() << 24 | vlen).putInt(sizeOrType);
    }
}
