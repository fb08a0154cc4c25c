package io.reactorbpf.core.sys;


/**
 * What BPF_MAP_CREATE needs to make a map. Immutable; the {@code with} methods return changed copies.
 *
 * @param mapType        a {@link MapType} value
 * @param name           the map's name, cut to the kernel's 15 bytes when created
 * @param keySize        bytes in a key (0 for maps without keys: queue, stack, ring buffer)
 * @param valueSize      bytes in a value (0 for a ring buffer)
 * @param maxEntries     entries the map holds; for a ring buffer its size in bytes, a power of two pages
 * @param mapFlags       {@code BPF_F_} flags, such as BPF_F_NO_PREALLOC or BPF_F_MMAPABLE
 * @param innerMapFd     0, or the template map for the inner maps of a map-in-map
 * @param numaNode       the NUMA node to allocate on, read when mapFlags has BPF_F_NUMA_NODE
 * @param btfFd          0, or the BTF object that holds the key and value types
 * @param btfKeyTypeId   the key's type id in that BTF, or 0
 * @param btfValueTypeId the value's type id in that BTF, or 0
 * @param mapExtra       the type's extra setting, such as a Bloom filter's number of hash functions
 * @since 0.1
 */
public record MapCreateAttr(int mapType, String name, int keySize, int valueSize, int maxEntries, int mapFlags,
                            int innerMapFd, int numaNode, int btfFd, int btfKeyTypeId, int btfValueTypeId,
                            long mapExtra) {

    /**
     * A map with no BTF, no flags and no inner map.
     *
     * @param type the map's type
     * @param name the map's name, cut to the kernel's 15 bytes when created
     * @param keySize bytes in a key
     * @param valueSize bytes in a value
     * @param maxEntries entries the map holds (bytes for a ring buffer)
     * @return the attributes
     */
    public static MapCreateAttr of(MapType type, String name, int keySize, int valueSize, int maxEntries) {
        return new MapCreateAttr(type.value(), name, keySize, valueSize, maxEntries, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * This map with {@code flags} as map_flags.
     *
     * @param flags the {@code BPF_F_} flags, replacing the current ones
     * @return a changed copy
     */
    public MapCreateAttr withFlags(int flags) {
        return new MapCreateAttr(mapType, name, keySize, valueSize, maxEntries, flags, innerMapFd, numaNode, btfFd,
                btfKeyTypeId, btfValueTypeId, mapExtra);
    }

    /**
     * This map with its key and value typed by BTF, which the kernel needs for spin locks, timers and kptrs in
     * values and bpftool needs to print them.
     *
     * @param fd the loaded BTF object's file descriptor, open until the map is created
     * @param keyTypeId the key's type id in that BTF
     * @param valueTypeId the value's type id in that BTF
     * @return a changed copy
     */
    public MapCreateAttr withBtf(int fd, int keyTypeId, int valueTypeId) {
        return new MapCreateAttr(mapType, name, keySize, valueSize, maxEntries, mapFlags, innerMapFd, numaNode, fd,
                keyTypeId, valueTypeId, mapExtra);
    }

    /**
     * This map without BTF, for kernels that refuse the types.
     *
     * @return a changed copy
     */
    public MapCreateAttr withoutBtf() {
        return withBtf(0, 0, 0);
    }

    /**
     * This map with an inner map template (map-in-map) and a NUMA node and map_extra.
     *
     * @param innerFd 0, or the file descriptor of the template for a map-in-map's inner maps
     * @param numa the NUMA node, read when the flags have BPF_F_NUMA_NODE
     * @param extra the map_extra value, such as a Bloom filter's number of hash functions
     * @return a changed copy
     */
    public MapCreateAttr withExtras(int innerFd, int numa, long extra) {
        return new MapCreateAttr(mapType, name, keySize, valueSize, maxEntries, mapFlags, innerFd, numa, btfFd,
                btfKeyTypeId, btfValueTypeId, extra);
    }

    @Override
    public String toString() {
        MapType t = MapType.of(mapType);
        return "{type=" + (t == null ? String.valueOf(mapType) : t.name()) + ", key_size=" + keySize + ", value_size="
                + valueSize + ", max_entries=" + maxEntries + ", map_flags=0x" + Integer.toHexString(mapFlags) + "}";
    }
}
