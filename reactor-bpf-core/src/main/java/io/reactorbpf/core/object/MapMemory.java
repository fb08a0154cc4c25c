package io.reactorbpf.core.object;

import io.reactorbpf.core.sys.MapType;

/**
 * Estimates the kernel memory BPF_MAP_CREATE will allocate for a map, from its type, sizes and max_entries, the way
 * the kernel's map implementations lay it out: array values rounded up to 8 bytes, one copy per possible CPU for the
 * per-CPU types, hash elements with their header and a power-of-two bucket table, ring buffers their data pages.
 * The figures are upper-bound approximations (a preallocated hash, the whole bloom filter), meant to tell a
 * plausible map from one that would exhaust the machine, not to predict memcg charges to the byte. Arithmetic
 * saturates at {@link Long#MAX_VALUE} instead of overflowing. Stateless.
 */
final class MapMemory {

    /** struct bpf_map and what every map allocates besides its elements, rounded up to a page. */
    static final long MAP_OVERHEAD = 4096;
    /** struct htab_elem without its key and value (hash node, hash, per-CPU pointer or LRU node). */
    private static final long HASH_ELEMENT = 48;
    /** One bucket of a hash table: a list head and a lock. */
    private static final long HASH_BUCKET = 16;
    /** A pointer: array slots of program, perf event, cgroup, map, device and socket arrays, per-CPU array cells. */
    private static final long POINTER = 8;
    /** struct lpm_trie_node without its key and value. */
    private static final long TRIE_NODE = 48;
    /** struct stack_map_bucket without its frames. */
    private static final long STACK_BUCKET = 32;
    /** Ring buffer pages besides the data: the consumer page, the producer page and the header. */
    private static final long RINGBUF_META_PAGES = 3;
    /** The bloom filter's default number of hash functions, when map_extra does not set one. */
    private static final long BLOOM_DEFAULT_HASHES = 5;

    private MapMemory() {
    }

    /**
     * The estimate in bytes for a map of {@code type} with these sizes and {@code maxEntries} (read as unsigned, as
     * the kernel does), {@code possibleCpus} per-CPU copies and {@code pageSize}-byte pages.
     */
    static long estimate(MapType type, int keySize, int valueSize, int maxEntries, long mapExtra, int possibleCpus,
                         long pageSize) {
        long entries = Integer.toUnsignedLong(maxEntries);
        long key = round8(Integer.toUnsignedLong(keySize));
        long value = round8(Integer.toUnsignedLong(valueSize));
        long cpus = Math.max(1, possibleCpus);
        long elements = switch (type) {
            case ARRAY -> times(entries, value);
            case PERCPU_ARRAY -> times(entries, plus(POINTER, times(value, cpus)));
            case PROG_ARRAY, PERF_EVENT_ARRAY, CGROUP_ARRAY, ARRAY_OF_MAPS, DEVMAP, CPUMAP, XSKMAP, SOCKMAP,
                    REUSEPORT_SOCKARRAY -> times(entries, POINTER);
            case HASH, LRU_HASH -> plus(buckets(entries), times(entries, plus(HASH_ELEMENT, plus(key, value))));
            case HASH_OF_MAPS, DEVMAP_HASH, SOCKHASH ->
                    plus(buckets(entries), times(entries, plus(HASH_ELEMENT, plus(key, POINTER))));
            case PERCPU_HASH, LRU_PERCPU_HASH -> plus(buckets(entries),
                    times(entries, plus(HASH_ELEMENT, plus(key, plus(POINTER, times(value, cpus))))));
            case LPM_TRIE -> times(entries, plus(TRIE_NODE, plus(key, value)));
            case STACK_TRACE -> plus(times(powerOfTwo(entries), POINTER), times(entries, plus(STACK_BUCKET, value)));
            case QUEUE, STACK -> times(plus(entries, 1), value);
            case RINGBUF, USER_RINGBUF -> plus(powerOfTwo(Math.max(entries, pageSize)), times(RINGBUF_META_PAGES, pageSize));
            case BLOOM_FILTER -> bloomBits(entries, mapExtra) / 8;
            case STRUCT_OPS -> value;
            // per-object storage lives with its socket, inode, task or cgroup, not in the map
            case CGROUP_STORAGE, PERCPU_CGROUP_STORAGE, SK_STORAGE, INODE_STORAGE, TASK_STORAGE -> 0;
            case UNSPEC -> times(entries, plus(HASH_ELEMENT, plus(key, value)));
        };
        return plus(MAP_OVERHEAD, elements);
    }

    /** A hash table's buckets: max_entries rounded up to a power of two. */
    private static long buckets(long entries) {
        return times(powerOfTwo(entries), HASH_BUCKET);
    }

    /** The bloom filter's bit array: entries x hashes / ln 2, rounded up to a power of two. */
    private static long bloomBits(long entries, long mapExtra) {
        long hashes = (mapExtra & 0xf) == 0 ? BLOOM_DEFAULT_HASHES : mapExtra & 0xf;
        return powerOfTwo(times(times(entries, hashes), 10) / 7);
    }

    private static long round8(long size) {
        return plus(size, 7) & ~7L;
    }

    private static long powerOfTwo(long n) {
        if (n <= 1) {
            return 1;
        }
        if (n > 1L << 62) {
            return Long.MAX_VALUE;
        }
        return Long.highestOneBit(n - 1) << 1;
    }

    private static long plus(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static long times(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }
}
