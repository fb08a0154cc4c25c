package io.reactorbpf.core.map;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * {@code array[index]} access to an ARRAY or PERCPU_ARRAY map, whose keys are 32-bit indexes that always exist.
 * Owns nothing (the {@link BpfMap} does); thread-safe as the map is.
 *
 * @since 0.1
 */
public final class ArrayMap {

    private final BpfMap map;

    /**
     * Array access to {@code map}, which stays owned by the caller.
     *
     * @param map an ARRAY or PERCPU_ARRAY map
     * @throws MapException when its keys are not 4 bytes
     */
    public ArrayMap(BpfMap map) {
        if (map.keySize() != 4) {
            throw new MapException("map '" + map.name() + "' has " + map.keySize() + "-byte keys; an array map has 4");
        }
        this.map = map;
    }

    /**
     * The value at {@code index} (all CPUs' values concatenated for a per-CPU array).
     *
     * @param index the slot, 0 to {@link #length()} - 1
     * @return a new array of the map's {@link BpfMap#valueBufferSize()} bytes
     * @throws MapException when the index is out of range
     */
    public byte[] get(int index) {
        return map.lookup(key(index)).orElseThrow(() -> outOfRange(index));
    }

    /**
     * Sets the value at {@code index} (the same value on every CPU for a per-CPU array).
     *
     * @param index the slot, 0 to {@link #length()} - 1
     * @param value one value ({@link BpfMap#valueSize()} bytes), or for a per-CPU array every CPU's
     *        ({@link BpfMap#valueBufferSize()} bytes)
     * @throws MapException when the index is out of range or the value has the wrong size
     */
    public void set(int index, byte[] value) {
        map.update(key(index), map.isPerCpu() && value.length == map.valueSize() ? map.replicate(value) : value, 0);
    }

    /**
     * The first 8 bytes at {@code index} as a native-order long, summed over CPUs for a per-CPU array: how a
     * per-CPU counter is read.
     *
     * @param index the slot, 0 to {@link #length()} - 1
     * @return the value, or the sum of every CPU's
     * @throws MapException when the index is out of range or the values are shorter than 8 bytes
     */
    public long getLong(int index) {
        if (map.valueSize() < 8) {
            throw new MapException("map '" + map.name() + "' has " + map.valueSize() + "-byte values, too small for a long");
        }
        if (!map.isPerCpu()) {
            return ByteBuffer.wrap(get(index)).order(ByteOrder.nativeOrder()).getLong(0);
        }
        List<byte[]> slots = map.lookupPerCpu(key(index)).orElseThrow(() -> outOfRange(index));
        long sum = 0;
        for (byte[] s : slots) {
            sum += ByteBuffer.wrap(s).order(ByteOrder.nativeOrder()).getLong(0);
        }
        return sum;
    }

    /**
     * The number of slots.
     *
     * @return the map's max_entries
     */
    public int length() {
        return map.maxEntries();
    }

    private byte[] key(int index) {
        if (index < 0 || index >= map.maxEntries()) {
            throw outOfRange(index);
        }
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(index).array();
    }

    private MapException outOfRange(int index) {
        return new MapException("index " + index + " is outside array map '" + map.name() + "' of " + map.maxEntries()
                + " entries");
    }
}
