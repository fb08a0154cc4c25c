package io.reactorbpf.perf.maps;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfFormatException;
import io.reactorbpf.core.btf.BtfType;

import java.util.ArrayList;
import java.util.List;

/**
 * What a value's BTF type says about its bytes, found once: where its whole integers lie (what summing over CPUs
 * and subtracting snapshots add and subtract) and which of its arrays are histograms. Integers are the INT
 * members of 1, 2, 4 or 8 bytes that are not chars, bools or bitfields, in structs, arrays and data sections
 * (variables count as members); unions, enums, pointers and floats are left alone. A histogram is an array of
 * two or more unsigned 4- or 8-byte integers that is the value or a member of it, not an element of another array.
 * Immutable.
 */
final class ValueShape {

    /** Deeper nesting only comes from malformed BTF whose types contain themselves. */
    private static final int MAX_DEPTH = 32;

    /** {@code count} integers of {@code size} bytes each, side by side from {@code offset}. */
    record Integers(int offset, int size, int count, boolean signed) {
    }

    private final Btf btf;
    private final int valueSize;
    private final List<Integers> integers = new ArrayList<>();
    private final List<HistogramField> histograms = new ArrayList<>();
    private final boolean lone;

    private ValueShape(Btf btf, int typeId, int valueSize) {
        this.btf = btf;
        this.valueSize = valueSize;
        walk(typeId, 0, List.of(), false, 0);
        this.lone = btf.type(btf.skipModsAndTypedefs(typeId)) instanceof BtfType.Int && integers.size() == 1;
    }

    /** The shape of a value of type {@code typeId}, {@code valueSize} bytes; members past its end are ignored. */
    static ValueShape of(Btf btf, int typeId, int valueSize) {
        try {
            return new ValueShape(btf, typeId, valueSize);
        } catch (BtfFormatException e) {
            throw new IllegalArgumentException("the value type [" + typeId + "] cannot be read: " + e.getMessage(), e);
        }
    }

    /** The value's integers, in the order they were found. */
    List<Integers> integers() {
        return List.copyOf(integers);
    }

    /** The value's histograms, in the order they were found. */
    List<HistogramField> histograms() {
        return List.copyOf(histograms);
    }

    /** Whether the value is one integer and nothing else. */
    boolean isLoneInteger() {
        return lone;
    }

    private void walk(int typeId, long offset, List<String> path, boolean inArray, int depth) {
        if (depth > MAX_DEPTH || offset >= valueSize) {
            return;
        }
        int id = btf.skipModsAndTypedefs(typeId);
        BtfType type = btf.type(id);
        if (type instanceof BtfType.Int i) {
            if (isWholeInteger(i) && offset + i.size() <= valueSize) {
                integers.add(new Integers((int) offset, i.size(), 1, i.isSigned()));
            }
        } else if (type instanceof BtfType.Array a) {
            array(a, offset, path, inArray, depth);
        } else if (type instanceof BtfType.Struct s) {
            for (BtfType.Member m : s.members()) {
                long bit = Integer.toUnsignedLong(m.bitOffset());
                if ((s.bitfieldSizes() && m.bitfieldSize() != 0) || bit % 8 != 0) {
                    continue;
                }
                walk(m.type(), offset + bit / 8, m.name().isEmpty() ? path : append(path, m.name()), inArray, depth + 1);
            }
        } else if (type instanceof BtfType.Datasec d) {
            for (BtfType.VarSecinfo v : d.vars()) {
                if (btf.type(v.type()) instanceof BtfType.Var var) {
                    walk(var.type(), offset + Integer.toUnsignedLong(v.offset()), append(path, var.name()), inArray,
                            depth + 1);
                }
            }
        }
    }

    private void array(BtfType.Array a, long offset, List<String> path, boolean inArray, int depth) {
        long length = Integer.toUnsignedLong(a.length());
        long stride = btf.resolveSize(a.type());
        if (length == 0 || stride == 0 || offset + length * stride > valueSize) {
            return;
        }
        BtfType element = btf.type(btf.skipModsAndTypedefs(a.type()));
        if (element instanceof BtfType.Int i && isChar(i)) {
            return;
        }
        if (element instanceof BtfType.Int i && isWholeInteger(i)) {
            if (!inArray && length >= 2 && !i.isSigned() && (i.size() == 4 || i.size() == 8)) {
                histograms.add(new HistogramField(path, (int) offset, i.size(), (int) length));
            }
            integers.add(new Integers((int) offset, i.size(), (int) length, i.isSigned()));
            return;
        }
        for (long k = 0; k < length; k++) {
            walk(a.type(), offset + k * stride, path, true, depth + 1);
        }
    }

    private static boolean isWholeInteger(BtfType.Int i) {
        int size = i.size();
        return (size == 1 || size == 2 || size == 4 || size == 8) && i.bitOffset() == 0 && i.bits() == size * 8
                && !i.isBool() && !isChar(i);
    }

    /** A char makes an array a string: CHAR encoding, or the 1-byte integer C calls plain char. */
    private static boolean isChar(BtfType.Int i) {
        return i.size() == 1 && (i.isChar() || i.name().equals("char"));
    }

    private static List<String> append(List<String> path, String name) {
        List<String> longer = new ArrayList<>(path);
        longer.add(name);
        return longer;
    }
}
