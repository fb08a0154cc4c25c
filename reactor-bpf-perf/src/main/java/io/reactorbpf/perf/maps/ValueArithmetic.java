package io.reactorbpf.perf.maps;

import java.util.Arrays;
import java.util.List;

/**
 * Adds and subtracts map values integer by integer, as their {@link ValueShape} lays them out: each integer wraps
 * at its own width, as the program's counters do. Bytes outside the integers (names, flags, padding) are not
 * numbers: a sum takes them from the first value in which they are not all zero, a difference from the newer
 * value. Immutable and stateless; the inputs are left as they are.
 */
final class ValueArithmetic {

    private final int valueSize;
    private final List<ValueShape.Integers> integers;
    /** The bytes that belong to no integer. */
    private final boolean[] other;
    private final boolean hasOther;

    ValueArithmetic(int valueSize, List<ValueShape.Integers> integers) {
        this.valueSize = valueSize;
        this.integers = List.copyOf(integers);
        this.other = new boolean[valueSize];
        Arrays.fill(other, true);
        for (ValueShape.Integers run : integers) {
            Arrays.fill(other, run.offset(), run.offset() + run.size() * run.count(), false);
        }
        boolean any = false;
        for (boolean b : other) {
            any |= b;
        }
        this.hasOther = any;
    }

    /** The sum of {@code values} (one per CPU), each {@code valueSize} bytes; at least one. */
    byte[] sum(List<byte[]> values) {
        byte[] sum = firstWithOtherBytes(values).clone();
        for (ValueShape.Integers run : integers) {
            for (int k = 0; k < run.count(); k++) {
                int at = run.offset() + k * run.size();
                long total = 0;
                for (byte[] v : values) {
                    total += LittleEndian.unsigned(check(v), at, run.size());
                }
                LittleEndian.put(sum, at, run.size(), total);
            }
        }
        return sum;
    }

    /** {@code now - before}, integer by integer; the other bytes are {@code now}'s. */
    byte[] minus(byte[] now, byte[] before) {
        byte[] difference = check(now).clone();
        check(before);
        for (ValueShape.Integers run : integers) {
            for (int k = 0; k < run.count(); k++) {
                int at = run.offset() + k * run.size();
                LittleEndian.put(difference, at, run.size(),
                        LittleEndian.unsigned(now, at, run.size()) - LittleEndian.unsigned(before, at, run.size()));
            }
        }
        return difference;
    }

    /** Whether every integer of {@code value} is 0. */
    boolean integersZero(byte[] value) {
        for (ValueShape.Integers run : integers) {
            for (int at = run.offset(); at < run.offset() + run.size() * run.count(); at++) {
                if (value[at] != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private byte[] firstWithOtherBytes(List<byte[]> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a sum needs at least one value");
        }
        if (hasOther) {
            for (byte[] v : values) {
                check(v);
                for (int i = 0; i < valueSize; i++) {
                    if (other[i] && v[i] != 0) {
                        return v;
                    }
                }
            }
        }
        return check(values.get(0));
    }

    private byte[] check(byte[] value) {
        if (value.length != valueSize) {
            throw new IllegalArgumentException("values are " + valueSize + " bytes, got " + value.length);
        }
        return value;
    }
}
