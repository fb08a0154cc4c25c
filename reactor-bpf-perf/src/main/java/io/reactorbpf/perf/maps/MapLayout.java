package io.reactorbpf.perf.maps;

import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.btf.value.BtfJsonDecoder;
import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.map.MapBtf;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a map's keys and values read, as its BTF says ({@link BpfMap#btf()}): their JSON, the integers a sum over
 * CPUs or a difference of snapshots adds and subtracts, and the histograms among the value's members (arrays of
 * unsigned 32- or 64-bit slots, see {@link HistogramField}). Without BTF a key or value of 1, 2, 4 or 8 bytes is
 * taken to be one unsigned integer and any other is hex bytes. Worked out once; immutable and thread-safe.
 *
 * @since 0.1
 */
public final class MapLayout {

    private final int keySize;
    private final int valueSize;
    private final BtfJsonDecoder keys;
    private final BtfJsonDecoder values;
    private final List<HistogramField> histograms;
    private final List<ValueShape.Integers> integers;
    private final boolean loneInteger;
    private final boolean globalData;

    private MapLayout(int keySize, int valueSize, BtfJsonDecoder keys, BtfJsonDecoder values,
                      List<HistogramField> histograms, List<ValueShape.Integers> integers, boolean loneInteger,
                      boolean globalData) {
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.keys = keys;
        this.values = values;
        this.histograms = List.copyOf(histograms);
        this.integers = List.copyOf(integers);
        this.loneInteger = loneInteger;
        this.globalData = globalData;
    }

    /**
     * The layout of {@code map}'s entries: by its BTF types where it has them, else {@link #untyped}. Reads only
     * what the map's handle already holds (its sizes and BTF), not the map itself; any thread.
     *
     * @param map whose keys and values to read; stays the caller's
     * @return the layout, safe to share between threads
     * @throws IllegalArgumentException when the map's BTF types do not fit its key and value sizes, or cannot be
     *                                  read
     * @throws io.reactorbpf.core.btf.value.BtfValueException when a type has no value to decode
     */
    public static MapLayout of(BpfMap map) {
        Optional<MapBtf> types = map.btf();
        return types.isPresent() ? of(types.get(), map.keySize(), map.valueSize())
                : untyped(map.keySize(), map.valueSize());
    }

    /**
     * The layout of {@code keySize}-byte keys and {@code valueSize}-byte values (one CPU's) typed by {@code types}:
     * so a map's entries can be read before, or without, the map being created.
     *
     * @param types     the key and value types, as {@link BpfMap#btf()} or an object's map definition gives them
     * @param keySize   the size of a key in bytes
     * @param valueSize the size of one value in bytes (one CPU's, for a per-CPU map)
     * @return the layout, safe to share between threads
     * @throws IllegalArgumentException when the types do not fit those sizes, or cannot be read
     * @throws io.reactorbpf.core.btf.value.BtfValueException when a type has no value to decode
     */
    public static MapLayout of(MapBtf types, int keySize, int valueSize) {
        Objects.requireNonNull(types, "types");
        if (!types.fits(keySize, valueSize)) {
            throw new IllegalArgumentException("the types " + types.btf().describe(types.keyTypeId()) + " and "
                    + types.btf().describe(types.valueTypeId()) + " are not " + keySize + "-byte keys and "
                    + valueSize + "-byte values");
        }
        ValueShape shape = ValueShape.of(types.btf(), types.valueTypeId(), valueSize);
        BtfJsonDecoder keys = types.keyTypeId() == 0 ? null : BtfJsonDecoder.forValue(types.btf(), types.keyTypeId());
        return new MapLayout(keySize, valueSize, keys, BtfJsonDecoder.forValue(types.btf(), types.valueTypeId()),
                shape.histograms(), shape.integers(), shape.isLoneInteger(),
                types.btf().type(types.btf().skipModsAndTypedefs(types.valueTypeId())) instanceof BtfType.Datasec);
    }

    /**
     * The layout of keys and values without BTF: integers when 1, 2, 4 or 8 bytes, else hex.
     *
     * @param keySize   the size of a key in bytes
     * @param valueSize the size of one value in bytes (one CPU's, for a per-CPU map)
     * @return the layout: no histograms, and the value one unsigned integer when it is 1, 2, 4 or 8 bytes
     */
    public static MapLayout untyped(int keySize, int valueSize) {
        boolean integer = isIntegerSize(valueSize);
        return new MapLayout(keySize, valueSize, null, null, List.of(),
                integer ? List.of(new ValueShape.Integers(0, valueSize, 1, false)) : List.of(), integer, false);
    }

    /**
     * Whether keys or values are decoded by BTF.
     *
     * @return true when the layout comes from BTF types: the values, and the keys when they have a type, decode
     *         by them
     */
    public boolean typed() {
        return values != null;
    }

    /**
     * The histograms in each value: arrays of unsigned 32- or 64-bit slots found in the value's BTF.
     *
     * @return the histograms in declaration order, immutable; empty when the value has none or no BTF
     */
    public List<HistogramField> histograms() {
        return histograms;
    }

    /**
     * Whether a value is one integer and nothing else (a counter), as syscount-like tables rank by.
     *
     * @return true for a value typed as one integer, or an untyped value of 1, 2, 4 or 8 bytes
     */
    public boolean isLoneInteger() {
        return loneInteger;
    }

    /**
     * Whether the value is a data section: the map holds an object's global variables ({@code .data},
     * {@code .bss}, {@code .rodata}), which {@link SnapshotMode#CLEAR} must not zero.
     *
     * @return true when the value's type is a {@code DATASEC}
     */
    public boolean holdsGlobalData() {
        return globalData;
    }

    /**
     * Whether any integer of the value is known: what summing over CPUs and subtracting snapshots need.
     *
     * @return true when {@link CpuValues#SUMMED} and {@link SnapshotMode#DELTA} can read maps of this layout
     */
    public boolean hasIntegers() {
        return !integers.isEmpty();
    }

    /**
     * Orders values by their first integer, largest first (compared as signed or unsigned as declared); empty
     * when no integer of the value is known.
     *
     * @return a comparator of values (one CPU's, or summed) of {@link #valueSize()} bytes, safe to share between
     *         threads; or empty
     */
    public Optional<Comparator<byte[]>> largestFirst() {
        if (integers.isEmpty()) {
            return Optional.empty();
        }
        ValueShape.Integers first = integers.get(0);
        Comparator<byte[]> ascending = (a, b) -> {
            long x = LittleEndian.unsigned(a, first.offset(), first.size());
            long y = LittleEndian.unsigned(b, first.offset(), first.size());
            return first.signed() ? Long.compare(signExtend(x, first.size()), signExtend(y, first.size()))
                    : Long.compareUnsigned(x, y);
        };
        return Optional.of(ascending.reversed());
    }

    /**
     * {@code key} as JSON: by its BTF type, else an unsigned number or hex text. Any thread.
     *
     * @param key a key of the map, as a {@link MapSnapshot.Entry} holds it; only read
     * @return a new node, the caller's
     * @throws IllegalArgumentException when {@code key} is not the map's key size
     */
    public JsonNode key(byte[] key) {
        return decode(keys, key, keySize);
    }

    /**
     * {@code value} (one CPU's, or summed) as JSON: by its BTF type, else an unsigned number or hex text. Any
     * thread.
     *
     * @param value one value of the map, as a {@link MapSnapshot.Entry} holds it; only read
     * @return a new node, the caller's
     * @throws IllegalArgumentException when {@code value} is not the map's value size
     */
    public JsonNode value(byte[] value) {
        return decode(values, value, valueSize);
    }

    /** Adds and subtracts this layout's values; empty when none of their integers is known. */
    Optional<ValueArithmetic> arithmetic() {
        return integers.isEmpty() ? Optional.empty() : Optional.of(new ValueArithmetic(valueSize, integers));
    }

    /**
     * The size of one value (one CPU's).
     *
     * @return the size in bytes, as the map was created with
     */
    public int valueSize() {
        return valueSize;
    }

    private static JsonNode decode(BtfJsonDecoder decoder, byte[] bytes, int size) {
        if (bytes.length != size) {
            throw new IllegalArgumentException("expected " + size + " bytes, got " + bytes.length);
        }
        if (decoder != null) {
            return decoder.toJson(ByteBuffer.wrap(bytes), 0, bytes.length);
        }
        if (!isIntegerSize(size)) {
            return JsonNodeFactory.instance.stringNode(HexFormat.of().formatHex(bytes));
        }
        long v = LittleEndian.unsigned(bytes, 0, size);
        return v >= 0 ? JsonNodeFactory.instance.numberNode(v)
                : JsonNodeFactory.instance.numberNode(new BigInteger(Long.toUnsignedString(v)));
    }

    private static boolean isIntegerSize(int size) {
        return size == 1 || size == 2 || size == 4 || size == 8;
    }

    private static long signExtend(long v, int size) {
        int shift = 64 - 8 * size;
        return (v << shift) >> shift;
    }

    @Override
    public String toString() {
        return "MapLayout[" + (typed() ? values : "untyped") + ", " + histograms.size() + " histogram(s)]";
    }
}
