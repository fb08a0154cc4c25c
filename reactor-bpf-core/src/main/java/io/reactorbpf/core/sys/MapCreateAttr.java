package io.reactorbpf.core.sys;


/**
 * What BPF_MAP_CREATE needs to make a map. Immutable; the {@code with} methods return changed copies.
 *
 * @param mapType        a {@link MapType} value
 * @param name           the map's name, cut to the kernel's 15 bytes when created
 * @param btfFd          0, or the BTF object that holds the key and value types
 */
public record MapCreateAttr(int mapType, String name, int keySize, int valueSize, int maxEntries, int mapFlags,
                            int innerMapFd, int numaNode, int btfFd, int btfKeyTypeId, int btfValueTypeId,
                            long mapExtra) {

    /** A map with no BTF, no flags and no inner map. */
    public static MapCreateAttr of(MapType type, String name, int keySize, int valueSize, int maxEntries) {
        return new MapCreateAttr(type.value(), name, keySize, valueSize, maxEntries, 0, 0, 0, 0, 0, 0, 0);
    }

    /** This map with {@code flags} as map_flags. */
    public MapCreateAttr withFlags(int flags) {
        return new MapCreateAttr(mapType, name, keySize, valueSize, maxEntries, flags, innerMapFd, numaNode, btfFd,
                btfKeyTypeId, btfValueTypeId, mapExtra);
    }

    /** This map with its key and value typed by BTF. */
    public MapCreateAttr withBtf(int fd, int keyTypeId, int valueTypeId) {
        return new MapCreateAttr(mapType, name, keySize, valueSize, maxEntries, mapFlags, innerMapFd, numaNode, fd,
                keyTypeId, valueTypeId, mapExtra);
    }

    /** This map without BTF, for kernels that refuse the types. */
    public MapCreateAttr withoutBtf() {
        return withBtf(0, 0, 0);
    }

    /** This map with an inner map template (map-in-map) and a NUMA node and map_extra. */
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
