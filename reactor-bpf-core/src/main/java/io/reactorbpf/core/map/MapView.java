package io.reactorbpf.core.map;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * A typed view of a {@link BpfMap}: keys and values go through {@link MapCodec}s. Owns nothing; thread-safe as
 * the map is.
 *
 * @param <K> the Java type of keys
 * @param <V> the Java type of values
 * @since 0.1
 */
public final class MapView<K, V> {

    private final BpfMap map;
    private final MapCodec<K> keys;
    private final MapCodec<V> values;

    MapView(BpfMap map, MapCodec<K> keys, MapCodec<V> values) {
        if (keys.size() != map.keySize()) {
            throw new MapException("map '" + map.name() + "' has " + map.keySize() + "-byte keys, the key codec encodes "
                    + keys.size());
        }
        if (values.size() != map.valueSize()) {
            throw new MapException("map '" + map.name() + "' has " + map.valueSize()
                    + "-byte values, the value codec encodes " + values.size());
        }
        this.map = map;
        this.keys = keys;
        this.values = values;
    }

    /**
     * The value under {@code key}; for a per-CPU map, CPU 0's. Empty when absent.
     *
     * @param key the key
     * @return the decoded value, or empty
     * @throws io.reactorbpf.core.sys.SyscallException when the lookup fails for another reason than an absent key
     */
    public Optional<V> get(K key) {
        return map.lookup(keys.encode(key)).map(v -> values.decode(v, 0));
    }

    /**
     * Every possible CPU's value under {@code key} of a per-CPU map, CPU 0 first; empty when absent.
     *
     * @param key the key
     * @return one decoded value per possible CPU, or empty
     * @throws MapException when the map is not per-CPU
     * @throws io.reactorbpf.core.sys.SyscallException when the lookup fails for another reason than an absent key
     */
    public Optional<List<V>> getPerCpu(K key) {
        return map.lookupPerCpu(keys.encode(key)).map(slots -> {
            List<V> out = new ArrayList<>(slots.size());
            slots.forEach(s -> out.add(values.decode(s, 0)));
            return out;
        });
    }

    /**
     * Creates or replaces the value (on every CPU for a per-CPU map).
     *
     * @param key the key
     * @param value the value
     * @throws io.reactorbpf.core.sys.SyscallException when the kernel refuses, such as E2BIG when the map is full
     */
    public void put(K key, V value) {
        byte[] v = values.encode(value);
        map.update(keys.encode(key), map.isPerCpu() ? map.replicate(v) : v, 0);
    }

    /**
     * Deletes {@code key}; false when it was absent.
     *
     * @param key the key
     * @return true when an entry was deleted
     * @throws io.reactorbpf.core.sys.SyscallException when the kernel refuses, such as EINVAL for an array map
     */
    public boolean remove(K key) {
        return map.delete(keys.encode(key));
    }

    /**
     * The keys, decoded; iteration tolerates concurrent deletion, see {@link BpfMap#keys()}.
     *
     * @return an iterable whose iterators each walk the map anew
     */
    public Iterable<K> keys() {
        return () -> {
            Iterator<byte[]> raw = map.keys().iterator();
            return new Iterator<>() {
                public boolean hasNext() {
                    return raw.hasNext();
                }

                public K next() {
                    return keys.decode(raw.next(), 0);
                }
            };
        };
    }
}
