package io.reactorbpf.core.btf.value;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfFormatException;
import io.reactorbpf.core.btf.BtfKind;
import io.reactorbpf.core.btf.BtfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns a BTF struct or union into a {@link CompositeLayout}, once: typedefs and qualifiers are skipped, member
 * offsets resolved to bytes and bitfields to bit ranges, so decoding does no BTF lookups.
 */
final class LayoutPlanner {

    /** Larger types are refused so that positions inside a buffer never overflow an int. */
    private static final long MAX_SIZE = 1L << 30;
    /** Deeper nesting only comes from malformed BTF whose types contain themselves. */
    private static final int MAX_DEPTH = 64;
    private static final int POINTER_BITS = 64;

    private final Btf btf;

    private LayoutPlanner(Btf btf) {
        this.btf = btf;
    }

    /** The layout of the struct or union named {@code name} (directly or through a typedef). */
    static CompositeLayout plan(Btf btf, String name) {
        return plan(btf, typeId(btf, name));
    }

    /** The layout of the struct or union with id {@code typeId} (or a typedef of one). */
    static CompositeLayout plan(Btf btf, int typeId) {
        LayoutPlanner planner = new LayoutPlanner(btf);
        try {
            int id = btf.skipModsAndTypedefs(typeId);
            if (!(btf.type(id) instanceof BtfType.Composite composite)) {
                throw new BtfValueException("type [" + typeId + "] " + btf.describe(typeId) + " is a "
                        + btf.type(id).kind() + ", not a struct or union: decode a struct or union type");
            }
            return planner.composite(id, composite, true, 0);
        } catch (BtfFormatException e) {
            throw new BtfValueException("type [" + typeId + "] cannot be decoded: " + e.getMessage());
        }
    }

    /**
     * The layout of a value of any sized type with id {@code typeId}: an integer, enum, float, pointer, array,
     * struct or union (through typedefs and qualifiers), or a data section, laid out as a struct of its variables.
     */
    static Layout planValue(Btf btf, int typeId) {
        LayoutPlanner planner = new LayoutPlanner(btf);
        try {
            int id = btf.skipModsAndTypedefs(typeId);
            if (btf.type(id) instanceof BtfType.Datasec section) {
                return planner.datasec(id, section);
            }
            return planner.layout(typeId, true, 0);
        } catch (BtfFormatException e) {
            throw new BtfValueException("type [" + typeId + "] cannot be decoded: " + e.getMessage());
        }
    }

    private CompositeLayout datasec(int id, BtfType.Datasec section) {
        if (Integer.toUnsignedLong(section.size()) > MAX_SIZE) {
            throw new BtfValueException("data section [" + id + "] " + section.name() + " is "
                    + Integer.toUnsignedString(section.size()) + " bytes, more than the " + MAX_SIZE + " a value can hold");
        }
        List<CompositeLayout.Field> fields = new ArrayList<>(section.vars().size());
        for (BtfType.VarSecinfo info : section.vars()) {
            if (!(btf.type(info.type()) instanceof BtfType.Var variable)) {
                throw new BtfValueException("data section [" + id + "] " + section.name() + " lists type ["
                        + info.type() + "], which is not a variable");
            }
            if (info.offset() < 0 || Integer.toUnsignedLong(info.offset()) + Integer.toUnsignedLong(info.size())
                    > Integer.toUnsignedLong(section.size())) {
                throw new BtfValueException("variable '" + variable.name() + "' lies outside data section [" + id
                        + "] " + section.name() + " of " + Integer.toUnsignedString(section.size()) + " bytes");
            }
            fields.add(new CompositeLayout.Field(variable.name(), info.offset(), layout(variable.type(), false, 1)));
        }
        return new CompositeLayout(section.size(), fields, "section " + section.name());
    }

    static int typeId(Btf btf, String name) {
        for (BtfKind kind : new BtfKind[] {BtfKind.STRUCT, BtfKind.UNION, BtfKind.TYPEDEF}) {
            OptionalInt id = btf.findByName(name, kind);
            if (id.isPresent() && btf.type(btf.skipModsAndTypedefs(id.getAsInt())) instanceof BtfType.Composite) {
                return id.getAsInt();
            }
        }
        List<String> close = CloseNames.of(name, compositeNames(btf));
        throw new BtfValueException("BTF has no struct or union named '" + name + "'"
                + (close.isEmpty() ? "" : "; close names: " + String.join(", ", close)));
    }

    private static List<String> compositeNames(Btf btf) {
        List<String> names = new ArrayList<>();
        for (int id = 1; id <= btf.typeCount(); id++) {
            BtfType t = btf.type(id);
            if (t instanceof BtfType.Composite && !t.name().isEmpty()) {
                names.add(t.name());
            }
        }
        return names;
    }

    private CompositeLayout composite(int id, BtfType.Composite type, boolean trailing, int depth) {
        if (depth > MAX_DEPTH) {
            throw new BtfValueException("type [" + id + "] " + btf.describe(id) + " nests more than " + MAX_DEPTH
                    + " levels deep: its BTF refers to itself");
        }
        if (Integer.toUnsignedLong(type.size()) > MAX_SIZE) {
            throw new BtfValueException("type [" + id + "] " + btf.describe(id) + " is "
                    + Integer.toUnsignedString(type.size()) + " bytes, more than the " + MAX_SIZE
                    + " a sample can hold");
        }
        List<BtfType.Member> members = type.members();
        int last = lastMemberIndex(members);
        List<CompositeLayout.Field> fields = new ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++) {
            BtfType.Member m = members.get(i);
            boolean memberTrailing = trailing && (type instanceof BtfType.Union || i == last);
            member(id, type, m, memberTrailing, depth).ifPresent(fields::add);
        }
        return new CompositeLayout(type.size(), fields, btf.describe(id));
    }

    /** The index of the member that ends the composite: the one at the highest offset, last declared on ties. */
    private static int lastMemberIndex(List<BtfType.Member> members) {
        int last = -1;
        for (int i = 0; i < members.size(); i++) {
            if (last < 0 || Integer.compareUnsigned(members.get(i).bitOffset(), members.get(last).bitOffset()) >= 0) {
                last = i;
            }
        }
        return last;
    }

    private Optional<CompositeLayout.Field> member(int ownerId, BtfType.Composite owner, BtfType.Member m,
                                                   boolean trailing, int depth) {
        long bitOffset = Integer.toUnsignedLong(m.bitOffset());
        int typeId = btf.skipModsAndTypedefs(m.type());
        BtfType type = btf.type(typeId);
        String cType = btf.describe(m.type());
        if (m.name().isEmpty()) {
            if (type instanceof BtfType.Composite inner) {
                return Optional.of(new CompositeLayout.Field(null, byteOffset(ownerId, m, bitOffset),
                        composite(typeId, inner, trailing, depth + 1)));
            }
            // an unnamed bitfield only pads
            return Optional.empty();
        }
        int bitfieldSize = owner.bitfieldSizes() ? m.bitfieldSize() : 0;
        if (type instanceof BtfType.Int i && (bitfieldSize > 0 || i.bitOffset() != 0 || i.bits() != i.size() * 8)) {
            long start = bitOffset + i.bitOffset();
            int bits = bitfieldSize > 0 ? bitfieldSize : i.bits();
            return Optional.of(bitfield(ownerId, m, start, integer(i, new IntegerBits((int) (start % 8), bits,
                    i.isSigned()), cType)));
        }
        if (type instanceof BtfType.Enumeration e && bitfieldSize > 0) {
            IntegerBits bits = new IntegerBits((int) (bitOffset % 8), bitfieldSize, e.signed());
            return Optional.of(bitfield(ownerId, m, bitOffset, new EnumLayout(bits, cType, e)));
        }
        Layout layout = layout(m.type(), trailing, depth);
        return Optional.of(new CompositeLayout.Field(m.name(), byteOffset(ownerId, m, bitOffset), layout));
    }

    private CompositeLayout.Field bitfield(int ownerId, BtfType.Member m, long startBit, IntegerLayout layout) {
        if (layout.bits.bits < 1 || layout.bits.bits > 64) {
            throw new BtfValueException("member '" + m.name() + "' of type [" + ownerId + "] "
                    + btf.describe(ownerId) + " is a bitfield of " + layout.bits.bits + " bits: only 1 to 64 decode");
        }
        return new CompositeLayout.Field(m.name(), (int) (startBit / 8), layout);
    }

    private int byteOffset(int ownerId, BtfType.Member m, long bitOffset) {
        if (bitOffset % 8 != 0) {
            throw new BtfValueException("member '" + m.name() + "' of type [" + ownerId + "] "
                    + btf.describe(ownerId) + " starts at bit " + bitOffset
                    + ", inside a byte, but is not a bitfield");
        }
        return (int) (bitOffset / 8);
    }

    private Layout layout(int declaredId, boolean trailing, int depth) {
        int id = btf.skipModsAndTypedefs(declaredId);
        BtfType type = btf.type(id);
        String cType = btf.describe(declaredId);
        if (type instanceof BtfType.Int i) {
            if (i.size() == 16 && i.bits() == 128) {
                return new WideIntegerLayout(16, i.isSigned(), cType);
            }
            if (i.bits() > 64 || i.size() > 8) {
                return new OpaqueLayout(i.size(), cType);
            }
            return integer(i, new IntegerBits(0, i.bits(), i.isSigned()), cType);
        }
        if (type instanceof BtfType.Ptr) {
            return new NumberLayout(new IntegerBits(0, POINTER_BITS, false), cType);
        }
        if (type instanceof BtfType.Enumeration e) {
            if (e.size() < 1 || e.size() > 8) {
                return new OpaqueLayout(e.size(), cType);
            }
            return new EnumLayout(new IntegerBits(0, e.size() * 8, e.signed()), cType, e);
        }
        if (type instanceof BtfType.Float f) {
            return f.size() == 4 || f.size() == 8 ? new FloatLayout(f.size(), cType) : new OpaqueLayout(f.size(), cType);
        }
        if (type instanceof BtfType.Composite c) {
            return composite(id, c, trailing, depth + 1);
        }
        if (type instanceof BtfType.Array a) {
            return array(id, a, trailing, depth);
        }
        throw new BtfValueException("type [" + declaredId + "] " + cType + " (" + type.kind()
                + ") has no value to decode: a struct member must have a sized type");
    }

    private Layout array(int id, BtfType.Array a, boolean trailing, int depth) {
        boolean flexible = a.length() == 0 && trailing;
        String cType = btf.describe(id);
        int length = a.length();
        if (Integer.toUnsignedLong(length) > MAX_SIZE) {
            throw new BtfValueException("type [" + id + "] " + cType + " has more than " + MAX_SIZE + " elements");
        }
        if (isChar(btf.type(btf.skipModsAndTypedefs(a.type())))) {
            return new StringLayout(length, flexible, cType);
        }
        if (depth > MAX_DEPTH) {
            throw new BtfValueException("type [" + id + "] " + cType + " nests more than " + MAX_DEPTH + " levels deep");
        }
        Layout element = layout(a.type(), false, depth + 1);
        if ((long) element.size * length > MAX_SIZE) {
            throw new BtfValueException("type [" + id + "] " + cType + " is more than " + MAX_SIZE + " bytes");
        }
        return new ArrayLayout(element, length, flexible, cType);
    }

    /** A char element makes an array a string: CHAR encoding, or the 1-byte integer C calls plain char. */
    private static boolean isChar(BtfType element) {
        return element instanceof BtfType.Int i && i.size() == 1 && (i.isChar() || i.name().equals("char"));
    }

    private static IntegerLayout integer(BtfType.Int type, IntegerBits bits, String cType) {
        return type.isBool() ? new BoolLayout(bits, cType) : new NumberLayout(bits, cType);
    }
}
