package io.reactorbpf.core.object;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.sys.MapType;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A map as the object defines it, editable before {@link ObjectSpec#load()}: its type and sizes, whether to
 * create it at all, where to pin it, or an existing map to use instead. Not thread-safe; edit it on one thread
 * before loading.
 *
 * <p>Sizes are what the object says, with one default of the loader's: a {@code STACK_TRACE} map the object
 * leaves at value_size 0 opens with value_size {@code perf_event_max_stack * 8} (the sysctl, 127 frames by default)
 * and one left at max_entries 0 with 1024 entries, which is what the libbpf-tools shipping such objects
 * (offcputime, wakeuptime) set before load. {@link #valueSize(int)} and {@link #maxEntries(int)} change them.
 *
 * @since 0.1
 */
public final class MapSpec {

    /** BPF_F_RDONLY_PROG. */
    public static final int F_RDONLY_PROG = 1 << 7;
    /** BPF_F_MMAPABLE. */
    public static final int F_MMAPABLE = 1 << 10;

    private final String name;
    private final String section;
    private MapType type;
    private int keySize;
    private int valueSize;
    private int maxEntries;
    private int flags;
    private int numaNode;
    private long mapExtra;
    private boolean autocreate = true;
    private Path pinPath;
    private boolean pinByName;
    private BpfMap reuse;
    private int btfKeyTypeId;
    private int btfValueTypeId;
    private MapSpec inner;
    private final Map<Integer, String> initialSlots = new TreeMap<>();
    private final byte[] contents;
    private final boolean frozen;

    MapSpec(String name, String section, MapType type, int keySize, int valueSize, int maxEntries, int flags,
            byte[] contents, boolean frozen) {
        this.name = name;
        this.section = section;
        this.type = type;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.maxEntries = maxEntries;
        this.flags = flags;
        this.contents = contents;
        this.frozen = frozen;
    }

    /**
     * The map's name in the object (for global data: the kernel name, e.g. "execsnoo.rodata").
     *
     * @return the name, which {@link BpfObject#map(String)} finds it by
     */
    public String name() {
        return name;
    }

    /**
     * The ELF section that defined it: ".maps", "maps", ".rodata", ...
     *
     * @return the section's name
     */
    public String section() {
        return section;
    }

    /**
     * The map type BPF_MAP_CREATE is given.
     *
     * @return the type
     */
    public MapType type() {
        return type;
    }

    /**
     * Creates the map as another type, as libbpf's {@code bpf_map__set_type}.
     *
     * @param type the map type
     * @return this spec
     */
    public MapSpec type(MapType type) {
        this.type = Objects.requireNonNull(type);
        return this;
    }

    /**
     * key_size as the definition says or {@link #keySize(int)} set it.
     *
     * @return bytes in a key
     */
    public int keySize() {
        return keySize;
    }

    /**
     * Sets key_size, as libbpf's {@code bpf_map__set_key_size}; the map is then created without a BTF key type.
     *
     * @param size bytes in a key
     * @return this spec
     */
    public MapSpec keySize(int size) {
        this.keySize = size;
        this.btfKeyTypeId = 0;
        return this;
    }

    /**
     * value_size as the definition says, the loader's STACK_TRACE default, or {@link #valueSize(int)} set it.
     *
     * @return bytes in a value
     */
    public int valueSize() {
        return valueSize;
    }

    /**
     * Sets value_size, as libbpf's {@code bpf_map__set_value_size}. Throws an {@link InvalidSpecException} naming the
     * map when its type does not take {@code size}: 0 or less; anything for a global data map (its value is its
     * section) or a ring buffer (it has none); other than 4 for perf event, program, cgroup and map-in-map arrays;
     * for a stack map, other than a multiple of 8 bytes (32 with BPF_F_STACK_BUILD_ID) of at most
     * perf_event_max_stack frames. The map memory limit still applies at load. The map is then created without a
     * BTF value type.
     *
     * @param size bytes in a value
     * @return this spec
     * @throws InvalidSpecException naming the map when its type does not take {@code size}
     */
    public MapSpec valueSize(int size) {
        MapSizes.checkValueSize(this, size);
        this.valueSize = size;
        this.btfValueTypeId = 0;
        return this;
    }

    /**
     * The size, "max_entries" or "value_size", that is 0 although the map's type needs it, as objects leave sizes for
     * their tools to set (loading such a map is refused naming it); empty when both are set.
     *
     * @return the name of the unset size, or empty
     */
    public Optional<String> unsetSize() {
        return Optional.ofNullable(MapSizes.unset(this));
    }

    /**
     * max_entries as the definition says, the loader's STACK_TRACE default, or {@link #maxEntries(int)} set it.
     *
     * @return the entries, unsigned; bytes for a ring buffer
     */
    public int maxEntries() {
        return maxEntries;
    }

    /**
     * Sets max_entries, read as unsigned as the kernel reads it, as libbpf's {@code bpf_map__set_max_entries}; for a
     * ring buffer it is the size in bytes, rounded up at load to a power-of-two number of pages. Throws an
     * {@link InvalidSpecException} naming the map for 0 (except a perf event array, where 0 means one slot per
     * possible CPU), anything but 0 for socket, inode, task and cgroup storage, and anything but 1 for a global data
     * map. A large value is refused at load by the map memory limit ({@link ObjectSpec#mapMemoryLimit()}), before
     * any map is created.
     *
     * @param entries the entries, read as unsigned; bytes for a ring buffer
     * @return this spec
     * @throws InvalidSpecException naming the map when its type does not take {@code entries}
     */
    public MapSpec maxEntries(int entries) {
        MapSizes.checkMaxEntries(this, entries);
        this.maxEntries = entries;
        return this;
    }

    /**
     * map_flags.
     *
     * @return the {@code BPF_F_} flags, such as {@link #F_MMAPABLE}
     */
    public int flags() {
        return flags;
    }

    /**
     * Sets map_flags, as libbpf's {@code bpf_map__set_map_flags}; the kernel checks them against the type at load.
     *
     * @param mapFlags the {@code BPF_F_} flags, replacing the definition's
     * @return this spec
     */
    public MapSpec flags(int mapFlags) {
        this.flags = mapFlags;
        return this;
    }

    /**
     * The NUMA node the map is allocated on when its flags have BPF_F_NUMA_NODE.
     *
     * @return the node
     */
    public int numaNode() {
        return numaNode;
    }

    /**
     * Sets the NUMA node, read only when the flags have BPF_F_NUMA_NODE.
     *
     * @param node the node
     * @return this spec
     */
    public MapSpec numaNode(int node) {
        this.numaNode = node;
        return this;
    }

    /**
     * map_extra: a type's own setting, such as a Bloom filter's number of hash functions.
     *
     * @return the value, 0 when unset
     */
    public long mapExtra() {
        return mapExtra;
    }

    /**
     * Sets map_extra, as libbpf's {@code bpf_map__set_map_extra}.
     *
     * @param extra the value, such as a Bloom filter's number of hash functions
     * @return this spec
     */
    public MapSpec mapExtra(long extra) {
        this.mapExtra = extra;
        return this;
    }

    /**
     * Whether loading creates the map; programs that use a map that is not created fail to load.
     *
     * @return the autocreate setting, on unless turned off
     */
    public boolean autocreate() {
        return autocreate;
    }

    /**
     * Whether loading creates the map, as libbpf's {@code bpf_map__set_autocreate}: off for a map only programs
     * that are not loaded use, such as one whose type this kernel lacks.
     *
     * @param create false to leave the map out
     * @return this spec
     */
    public MapSpec autocreate(boolean create) {
        this.autocreate = create;
        return this;
    }

    /**
     * Where the map is pinned; null when it is not. Loading reuses a compatible map already pinned there and
     * fails on an incompatible one; otherwise it creates the map and pins it.
     *
     * @return the pin's path, or null
     */
    public Path pinPath() {
        return pinPath;
    }

    /**
     * Pins the map at {@code path}; null to not pin it at all, overriding the definition's LIBBPF_PIN_BY_NAME. A
     * pinned map outlives the loaded object.
     *
     * @param path a path on a bpffs mount, or null
     * @return this spec
     */
    public MapSpec pinPath(Path path) {
        this.pinPath = path;
        this.pinByName = false;
        return this;
    }

    /**
     * Whether the definition asked for LIBBPF_PIN_BY_NAME: pinned as its name under the bpffs mount unless
     * {@link #pinPath(Path)} says otherwise.
     *
     * @return true for a pin-by-name definition not overridden since
     */
    public boolean pinnedByName() {
        return pinByName;
    }

    void pinByName() {
        this.pinByName = true;
    }

    /**
     * Use {@code existing} (not closed by the loaded object) instead of creating the map, as libbpf's
     * {@code bpf_map__reuse_fd}: the programs then share it with its owner.
     *
     * @param existing an open map, still owned by the caller, who keeps it open while the object uses it; null to
     *        create the map again
     * @return this spec
     */
    public MapSpec reuse(BpfMap existing) {
        this.reuse = existing;
        return this;
    }

    BpfMap reused() {
        return reuse;
    }

    /**
     * The template of the maps stored in this map-in-map; null for other maps.
     *
     * @return the inner map's spec, or null
     */
    public MapSpec inner() {
        return inner;
    }

    /**
     * Initial contents of a map-in-map: slot index to the name of the map stored there.
     *
     * @return an unmodifiable map, in slot order
     */
    public Map<Integer, String> initialSlots() {
        return Collections.unmodifiableMap(initialSlots);
    }

    /**
     * True for the maps that hold global data (.data, .rodata, .bss, ...).
     *
     * @return whether the map is a data section's one-entry array
     */
    public boolean isGlobalData() {
        return contents != null;
    }

    void inner(MapSpec template) {
        this.inner = template;
    }

    void slot(int index, String mapName) {
        initialSlots.put(index, mapName);
    }

    void btfTypes(int keyTypeId, int valueTypeId) {
        this.btfKeyTypeId = keyTypeId;
        this.btfValueTypeId = valueTypeId;
    }

    /**
     * The id in the object's BTF ({@link ObjectSpec#btf()}) of the key's type; 0 when the definition gives none
     * or {@link #keySize(int)} changed the size.
     *
     * @return the key's type id, or 0
     */
    public int btfKeyTypeId() {
        return btfKeyTypeId;
    }

    /**
     * The id in the object's BTF of the value's type (a data section for global data); 0 when the definition
     * gives none or {@link #valueSize(int)} changed the size.
     *
     * @return the value's type id, or 0
     */
    public int btfValueTypeId() {
        return btfValueTypeId;
    }

    /** The live initial contents of a global data map (the variables write into it); null for other maps. */
    byte[] contents() {
        return contents;
    }

    /** Whether the map is frozen once its contents are written (.rodata). */
    boolean frozen() {
        return frozen;
    }

    @Override
    public String toString() {
        return "map '" + name + "' {type=" + type + ", key_size=" + keySize + ", value_size=" + valueSize
                + ", max_entries=" + maxEntries + ", map_flags=0x" + Integer.toHexString(flags) + "}";
    }
}
