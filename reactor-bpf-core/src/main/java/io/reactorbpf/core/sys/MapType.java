package io.reactorbpf.core.sys;

/**
 * BPF map types ({@code enum bpf_map_type}).
 *
 * @since 0.1
 */
public enum MapType {
    /** No type; the kernel refuses to create it. */
    UNSPEC(0),
    /** A hash table of fixed-size keys and values. */
    HASH(1),
    /** An array indexed by a u32, all entries preallocated and zeroed; entries cannot be deleted. */
    ARRAY(2),
    /** Program file descriptors by index, for tail calls. */
    PROG_ARRAY(3),
    /** Perf event file descriptors by CPU, the rings bpf_perf_event_output writes into. */
    PERF_EVENT_ARRAY(4),
    /** A hash table with one value per CPU for each key. */
    PERCPU_HASH(5),
    /** An array with one value per CPU for each index. */
    PERCPU_ARRAY(6),
    /** Stack traces by id, filled by bpf_get_stackid. */
    STACK_TRACE(7),
    /** Cgroup file descriptors by index, for cgroup membership tests. */
    CGROUP_ARRAY(8),
    /** A hash table that evicts the least recently used entry when full. */
    LRU_HASH(9),
    /** An LRU hash table with one value per CPU. */
    LRU_PERCPU_HASH(10),
    /** A longest-prefix-match trie, such as for IP prefixes. */
    LPM_TRIE(11),
    /** An array whose values are inner maps. */
    ARRAY_OF_MAPS(12),
    /** A hash table whose values are inner maps. */
    HASH_OF_MAPS(13),
    /** Network devices by index, for XDP redirects. */
    DEVMAP(14),
    /** Sockets by index, for sk_skb and sk_msg redirects. */
    SOCKMAP(15),
    /** CPUs by index, for XDP redirects to another CPU. */
    CPUMAP(16),
    /** AF_XDP sockets by index, for XDP redirects to user space. */
    XSKMAP(17),
    /** Sockets by key, for sk_skb and sk_msg redirects. */
    SOCKHASH(18),
    /** Storage of a cgroup program for each cgroup it is attached to. */
    CGROUP_STORAGE(19),
    /** Sockets of a SO_REUSEPORT group, for sk_reuseport programs. */
    REUSEPORT_SOCKARRAY(20),
    /** Per-CPU storage of a cgroup program for each cgroup it is attached to. */
    PERCPU_CGROUP_STORAGE(21),
    /** A FIFO queue of values without keys. */
    QUEUE(22),
    /** A LIFO stack of values without keys. */
    STACK(23),
    /** Storage attached to each socket. */
    SK_STORAGE(24),
    /** Network devices by key, for XDP redirects. */
    DEVMAP_HASH(25),
    /** A kernel operations struct implemented by BPF programs. */
    STRUCT_OPS(26),
    /** A ring buffer shared by every CPU, read by user space through mmap. */
    RINGBUF(27),
    /** Storage attached to each inode, for LSM programs. */
    INODE_STORAGE(28),
    /** Storage attached to each task. */
    TASK_STORAGE(29),
    /** A Bloom filter of values: membership tests with false positives. */
    BLOOM_FILTER(30),
    /** A ring buffer user space writes and BPF programs drain with bpf_user_ringbuf_drain. */
    USER_RINGBUF(31);

    private static final MapType[] BY_VALUE = new MapType[32];

    static {
        for (MapType t : values()) {
            BY_VALUE[t.value] = t;
        }
    }

    private final int value;

    MapType(int value) {
        this.value = value;
    }

    /**
     * The kernel's number for this constant.
     *
     * @return the value of map_type in BPF_MAP_CREATE's attributes
     */
    public int value() {
        return value;
    }

    /**
     * The constant for a kernel number, or null when this table does not know it.
     *
     * @param value an {@code enum bpf_map_type} value, such as bpf_map_info's type
     * @return the map type, or null for values newer than this table or negative
     */
    public static MapType of(int value) {
        return value >= 0 && value < BY_VALUE.length ? BY_VALUE[value] : null;
    }
}
