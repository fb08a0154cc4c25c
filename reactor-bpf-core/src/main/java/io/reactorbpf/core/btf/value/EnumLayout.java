package io.reactorbpf.core.btf.value;

import io.reactorbpf.core.btf.BtfType;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An enum written as the name of its value; a value with no name is written as its number. When several names
 * share a value the first declared one is used. Values are looked up by binary search, without allocating.
 */
final class EnumLayout extends IntegerLayout {

    private final long[] values;
    private final SerializedString[] names;

    EnumLayout(IntegerBits bits, String cType, BtfType.Enumeration type) {
        super(bits, cType);
        List<BtfType.Enumerator> sorted = new ArrayList<>();
        for (BtfType.Enumerator e : type.values()) {
            sorted.add(new BtfType.Enumerator(e.name(), canonical(e.value())));
        }
        // stable sort keeps declaration order among equal values, so the first declared name wins below
        sorted.sort(Comparator.comparingLong(e -> comparable(e.value())));
        List<BtfType.Enumerator> unique = new ArrayList<>();
        for (BtfType.Enumerator e : sorted) {
            if (unique.isEmpty() || unique.get(unique.size() - 1).value() != e.value()) {
                unique.add(e);
            }
        }
        values = unique.stream().mapToLong(BtfType.Enumerator::value).toArray();
        names = unique.stream().map(e -> new SerializedString(e.name())).toArray(SerializedString[]::new);
    }

    /** The name of {@code value} as {@link #read} returns it, or null. */
    String name(long value) {
        SerializableString name = lookup(value);
        return name == null ? null : name.getValue();
    }

    @Override
    void write(JsonGenerator generator, ByteBuffer buffer, int position, int end) {
        long value = read(buffer, position);
        SerializableString name = lookup(value);
        if (name != null) {
            generator.writeString(name);
        } else {
            NumberLayout.write(generator, bits, value);
        }
    }

    @Override
    JsonNode tree(ByteBuffer buffer, int position, int end) {
        long value = read(buffer, position);
        SerializableString name = lookup(value);
        return name != null ? JsonNodeFactory.instance.stringNode(name.getValue()) : NumberLayout.number(bits, value);
    }

    private SerializableString lookup(long value) {
        long key = comparable(value);
        int low = 0;
        int high = values.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long probe = comparable(values[mid]);
            if (probe < key) {
                low = mid + 1;
            } else if (probe > key) {
                high = mid - 1;
            } else {
                return names[mid];
            }
        }
        return null;
    }

    /** A declared value as {@link #read} would return it for this enum's width and signedness. */
    private long canonical(long declared) {
        if (bits.bits >= 64) {
            return declared;
        }
        int unused = 64 - bits.bits;
        return bits.signed ? (declared << unused) >> unused : declared & ((1L << bits.bits) - 1);
    }

    /** Orders unsigned values correctly under signed comparison. */
    private long comparable(long value) {
        return bits.signed ? value : value ^ Long.MIN_VALUE;
    }
}
