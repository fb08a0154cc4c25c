package io.reactorbpf.core.map;

import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.MapCreateAttr;
import io.reactorbpf.core.sys.MapInfo;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.internal.sys.NativeBuffer;
import io.reactorbpf.core.sys.SyscallException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A BPF map the process holds open: its shape and the bpf(2) element operations on it.
 *
 * <p>Thread-safe: each thread's element operations use that thread's native buffers ({@link ElementBuffers}),
 * every value returned is a copy the caller owns, and the kernel serializes concurrent element operations
 * (BPF programs may change the map between any two calls). Owns its descriptor: {@link #close()}
 * closes it once; pinned maps outlive the close.
 *
 * <p>Per-CPU maps ({@code PERCPU_HASH}, {@code PERCPU_ARRAY}, {@code LRU_PERCPU_HASH}) hold one value per
 * possible CPU, each padded to 8 bytes: {@link #lookup} returns and {@link #update} takes all of them
 * concatenated ({@link #valueBufferSize()} bytes); {@link #lookupPerCpu} splits them.
 *
 * @since 0.1
 */
public final class BpfMap implements AutoCloseable {

    private static final int BATCH = 256;

    private final FileDescriptor fd;
    private final String name;
    private final MapType type;
    private final int keySize;
    private final int valueSize;
    private final int maxEntries;
    private final int flags;
    private final int cpus;
    private volatile Path pinnedAt;
    private volatile LossCounter lossCounter;
    private volatile MapBtf btf;
    /** What {@link #close()} runs first, in registration order; guarded by itself, null once closed. */
    private List<Runnable> onClose = new ArrayList<>();

    private BpfMap(FileDescriptor fd, String name, MapType type, int keySize, int valueSize, int maxEntries, int flags) {
        this.fd = fd;
        this.name = name;
        this.type = type;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.maxEntries = maxEntries;
        this.flags = flags;
        this.cpus = isPerCpu(type) ? CpuSet.possible().span() : 1;
    }

    /**
     * Takes ownership of {@code fd}, asking the kernel for the map's shape; {@code name} may be longer than the
     * kernel's 15 bytes.
     *
     * @param fd an open map descriptor; the map owns it from now on, and closes it when this call throws
     *        {@link MapException}
     * @param name the map's name for messages, such as its name in the object file
     * @return the map
     * @throws SyscallException when the kernel cannot describe the descriptor (closed, or not a map)
     * @throws MapException when the map's type is newer than this library
     */
    public static BpfMap of(FileDescriptor fd, String name) {
        MapInfo info = MapInfo.of(fd);
        MapType type = info.mapType();
        if (type == null) {
            fd.close();
            throw new MapException("map '" + name + "' has type " + info.type() + ", which this library does not know");
        }
        return new BpfMap(fd, name, type, info.keySize(), info.valueSize(), info.maxEntries(), info.mapFlags());
    }

    /**
     * Creates a map as {@code attr} says (typed by BTF only when {@code attr} names a loaded BTF object). The
     * caller owns the map and must close it; the kernel frees it once no descriptor, pin or program holds it.
     *
     * @param attr the map's type, name, sizes and flags
     * @return the new map
     * @throws SyscallException when BPF_MAP_CREATE fails: EPERM without CAP_BPF, EINVAL for sizes or flags the
     *         type refuses, ENOMEM for a map too large
     */
    public static BpfMap create(MapCreateAttr attr) {
        return of(Bpf.mapCreate(attr), attr.name());
    }

    /**
     * Opens the map pinned at {@code path} on a bpffs mount. The caller owns the new descriptor; the pin stays
     * until {@link #unpin()} or an rm.
     *
     * @param path the pin's path, such as {@code /sys/fs/bpf/events}
     * @return the map, named as the kernel names it
     * @throws SyscallException when BPF_OBJ_GET fails, such as ENOENT when nothing is pinned there
     * @throws MapException when the map's type is newer than this library
     */
    public static BpfMap openPinned(Path path) {
        FileDescriptor fd = Bpf.objGet(path.toString(), 0);
        BpfMap map = of(fd, MapInfo.of(fd).name());
        map.pinnedAt = path;
        return map;
    }

    /**
     * The map's name, as given when it was opened or created; the kernel keeps at most 15 bytes of it.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The map's type.
     *
     * @return the type, as the kernel reported it
     */
    public MapType type() {
        return type;
    }

    /**
     * Bytes in a key; every key passed to this map must have exactly this length.
     *
     * @return the key size, 0 for maps without keys (queue, stack, ring buffer)
     */
    public int keySize() {
        return keySize;
    }

    /**
     * The size of one value (one CPU's value for per-CPU maps).
     *
     * @return the value size in bytes
     */
    public int valueSize() {
        return valueSize;
    }

    /**
     * Entries the map holds, fixed at creation; for a ring buffer, its size in bytes.
     *
     * @return max_entries
     */
    public int maxEntries() {
        return maxEntries;
    }

    /**
     * map_flags as created.
     *
     * @return the {@code BPF_F_} flags
     */
    public int flags() {
        return flags;
    }

    /**
     * The map's descriptor, owned by this map: do not close it.
     *
     * @return the descriptor, valid until {@link #close()}
     */
    public FileDescriptor fd() {
        return fd;
    }

    /**
     * Whether the map keeps one value per possible CPU for each key.
     *
     * @return true for PERCPU_HASH, PERCPU_ARRAY, LRU_PERCPU_HASH and PERCPU_CGROUP_STORAGE
     */
    public boolean isPerCpu() {
        return isPerCpu(type);
    }

    /**
     * Bytes a value buffer takes: the value size, or for per-CPU maps 8-byte-padded values times possible CPUs.
     *
     * @return the length {@link #lookup} returns and {@link #update} takes
     */
    public int valueBufferSize() {
        return isPerCpu(type) ? perCpuStride() * cpus : valueSize;
    }

    /**
     * The value under {@code key}; empty when the key is absent. See the class comment for per-CPU maps. A copy
     * taken by BPF_MAP_LOOKUP_ELEM: programs may change the entry right after.
     *
     * @param key the key's bytes, {@link #keySize()} long, in the byte order the programs use
     * @return a new array of {@link #valueBufferSize()} bytes, owned by the caller, or empty
     * @throws MapException when the key has the wrong size
     * @throws SyscallException when the lookup fails for another reason than an absent key, such as EBADF after
     *         {@link #close()}
     */
    public Optional<byte[]> lookup(byte[] key) {
        checkKey(key);
        ElementBuffers buffers = ElementBuffers.ofThisThread();
        NativeBuffer v = buffers.value(valueBufferSize());
        if (!Bpf.mapLookupElem(fd, buffers.key(key), v, 0)) {
            return Optional.empty();
        }
        return Optional.of(v.toBytes(valueBufferSize()));
    }

    /**
     * Each possible CPU's value under {@code key} of a per-CPU map (CPU 0 first); empty when the key is absent.
     *
     * @param key the key's bytes, {@link #keySize()} long
     * @return one new array of {@link #valueSize()} bytes per possible CPU, or empty
     * @throws MapException when the map is not per-CPU or the key has the wrong size
     * @throws SyscallException when the lookup fails for another reason than an absent key
     */
    public Optional<List<byte[]>> lookupPerCpu(byte[] key) {
        if (!isPerCpu(type)) {
            throw new MapException("map '" + name + "' is a " + type + " map, not a per-CPU map");
        }
        return lookup(key).map(this::perCpuValues);
    }

    /**
     * A per-CPU map's value as {@link #lookup} and {@link #entries} return it ({@link #valueBufferSize()} bytes),
     * split into each possible CPU's {@link #valueSize()} bytes, CPU 0 first; a one-element list for other maps.
     *
     * @param all the whole value buffer of one key
     * @return one new array per possible CPU, owned by the caller
     * @throws MapException when {@code all} is not {@link #valueBufferSize()} bytes
     */
    public List<byte[]> perCpuValues(byte[] all) {
        if (all.length != valueBufferSize()) {
            throw new MapException("map '" + name + "' has " + valueBufferSize() + "-byte value buffers, got "
                    + all.length + " bytes");
        }
        if (!isPerCpu(type)) {
            return List.of(all.clone());
        }
        List<byte[]> slots = new ArrayList<>(cpus);
        for (int cpu = 0; cpu < cpus; cpu++) {
            byte[] one = new byte[valueSize];
            System.arraycopy(all, cpu * perCpuStride(), one, 0, valueSize);
            slots.add(one);
        }
        return slots;
    }

    /**
     * Sets {@code key} to {@code value} with BPF_MAP_UPDATE_ELEM, as {@code updateFlags} allows.
     *
     * @param key the key's bytes, {@link #keySize()} long
     * @param value the value's bytes, {@link #valueBufferSize()} long (every CPU's value for a per-CPU map)
     * @param updateFlags BPF_ANY (0): create or replace; BPF_NOEXIST (1): create only; BPF_EXIST (2): replace
     *        only; or BPF_F_LOCK (4) with one of them, to take the value's spin lock
     * @throws MapException when the key or value has the wrong size
     * @throws SyscallException when the kernel refuses: EEXIST with BPF_NOEXIST and the key present, ENOENT with
     *         BPF_EXIST and the key absent, E2BIG when the map is full
     */
    public void update(byte[] key, byte[] value, long updateFlags) {
        if (value.length != valueBufferSize()) {
            throw new MapException("map '" + name + "' takes " + valueBufferSize() + "-byte values"
                    + (isPerCpu(type) ? " (" + cpus + " CPUs x " + perCpuStride() + " bytes)" : "") + ", got " + value.length);
        }
        checkKey(key);
        ElementBuffers buffers = ElementBuffers.ofThisThread();
        Bpf.mapUpdateElem(fd, buffers.key(key), buffers.value(value), updateFlags);
    }

    /**
     * Sets {@code key} to {@code value}, creating or replacing it (BPF_ANY).
     *
     * @param key the key's bytes, {@link #keySize()} long
     * @param value the value's bytes, {@link #valueBufferSize()} long
     * @throws MapException when the key or value has the wrong size
     * @throws SyscallException when the kernel refuses, such as E2BIG when the map is full
     */
    public void update(byte[] key, byte[] value) {
        update(key, value, Bpf.ANY);
    }

    /**
     * Deletes {@code key}; false when it was absent.
     *
     * @param key the key's bytes, {@link #keySize()} long
     * @return true when an entry was deleted
     * @throws MapException when the key has the wrong size
     * @throws SyscallException when the kernel refuses, such as EINVAL for an array map, whose entries always exist
     */
    public boolean delete(byte[] key) {
        checkKey(key);
        return Bpf.mapDeleteElem(fd, ElementBuffers.ofThisThread().key(key));
    }

    /**
     * The keys, walked lazily with BPF_MAP_GET_NEXT_KEY. Deleting keys while iterating is safe: when the
     * current key vanishes the kernel restarts from the first key, and keys already returned are skipped, so
     * each key present throughout is returned exactly once.
     *
     * @return an iterable whose iterators each walk the map anew; each key is a new array owned by the caller.
     *         Iterators throw {@link SyscallException} when a step fails, such as after {@link #close()}
     */
    public Iterable<byte[]> keys() {
        return KeyIterator::new;
    }

    /**
     * Every entry, read with BPF_MAP_LOOKUP_BATCH where the kernel supports it for this map type, else key by key.
     * Not a snapshot: programs may change the map while it is read.
     *
     * @return a new list of copies, owned by the caller
     * @throws SyscallException when a read fails for another reason than an unsupported batch
     */
    public List<MapEntry> entries() {
        List<MapEntry> batched = batchEntries(false);
        if (batched != null) {
            return batched;
        }
        List<MapEntry> out = new ArrayList<>();
        for (byte[] key : keys()) {
            lookup(key).ifPresent(v -> out.add(new MapEntry(key, v)));
        }
        return out;
    }

    /**
     * Every entry, each deleted once it is read: BPF_MAP_LOOKUP_AND_DELETE_BATCH where the kernel supports it for
     * this map type (hash maps), else key by key, a lookup then a delete. Either way a BPF program can write an
     * entry between its copy and its delete (key by key the window is two syscalls wide; in a batch, a program
     * that looked up the value before the delete still writes into the deleted element): that write is lost.
     *
     * @return the entries read, in the kernel's order, owned by the caller
     * @throws MapException for array maps, whose elements always exist and cannot be deleted
     */
    public List<MapEntry> lookupAndDeleteEntries() {
        if (type == MapType.ARRAY || type == MapType.PERCPU_ARRAY) {
            throw new MapException("map '" + name + "' is a " + type + " map, whose elements cannot be deleted;"
                    + " read it with entries() and zero the elements with update()");
        }
        List<MapEntry> batched = batchEntries(true);
        if (batched != null) {
            return batched;
        }
        List<MapEntry> out = new ArrayList<>();
        for (byte[] key : keys()) {
            Optional<byte[]> value = lookup(key);
            if (value.isPresent() && delete(key)) {
                out.add(new MapEntry(key, value.get()));
            }
        }
        return out;
    }

    /** The entries read (and deleted) in batches; null when the kernel has no batch call for this map type. */
    private List<MapEntry> batchEntries(boolean delete) {
        int count = Math.max(1, Math.min(BATCH, maxEntries));
        int token = Math.max(8, keySize);
        NativeBuffer in = null;
        NativeBuffer out = NativeBuffer.allocate(token);
        List<MapEntry> entries = new ArrayList<>();
        while (true) {
            NativeBuffer keys = NativeBuffer.allocate(count * keySize);
            NativeBuffer values = NativeBuffer.allocate(count * valueBufferSize());
            Bpf.BatchResult r;
            try {
                r = delete ? Bpf.mapLookupAndDeleteBatch(fd, in, out, keys, values, count, 0)
                        : Bpf.mapLookupBatch(fd, in, out, keys, values, count, 0);
            } catch (SyscallException e) {
                if (e.errno() == Errno.ENOSPC && count < Integer.MAX_VALUE / 2) {
                    count *= 2; // a hash bucket holds more entries than fit: retry with room for it
                    continue;
                }
                if (in == null && unsupported(e.errno())) {
                    return null; // refused before anything was read (or deleted): the caller goes key by key
                }
                throw e;
            }
            byte[] k = keys.toBytes(r.count() * keySize);
            byte[] v = values.toBytes(r.count() * valueBufferSize());
            for (int i = 0; i < r.count(); i++) {
                entries.add(new MapEntry(slice(k, i * keySize, keySize), slice(v, i * valueBufferSize(), valueBufferSize())));
            }
            if (r.done()) {
                return entries;
            }
            NativeBuffer next = NativeBuffer.copyOf(out.toBytes(token));
            in = next;
        }
    }

    private static boolean unsupported(Errno errno) {
        return errno == Errno.EINVAL || errno == Errno.ENOTSUPP || errno == Errno.EOPNOTSUPP;
    }

    /**
     * BPF_MAP_FREEZE: from now on only BPF programs may change the map. This cannot be undone.
     *
     * @throws SyscallException when the kernel refuses, such as EBUSY while a writable mmap of the map exists
     */
    public void freeze() {
        Bpf.mapFreeze(fd);
    }

    /**
     * Pins the map at {@code path} on a bpffs mount, so it outlives this process.
     *
     * @param path a path on a bpffs mount that does not exist yet, such as {@code /sys/fs/bpf/events}
     * @throws SyscallException when BPF_OBJ_PIN fails: EEXIST when the path exists, EPERM when it is not on a
     *         bpffs
     */
    public void pin(Path path) {
        Bpf.objPin(fd, path.toString());
        pinnedAt = path;
    }

    /**
     * Removes the pin made by {@link #pin} or found by {@link #openPinned}; false when there was none.
     *
     * @return true when a pin file was removed
     * @throws java.io.UncheckedIOException when the pin file cannot be removed
     */
    public boolean unpin() {
        Path p = pinnedAt;
        if (p == null) {
            return false;
        }
        try {
            pinnedAt = null;
            return Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the pin of map '" + name + "' at " + p, e);
        }
    }

    /**
     * Where the map is pinned, if this object pinned or opened it there.
     *
     * @return the pin's path, or empty
     */
    public Optional<Path> pinnedPath() {
        return Optional.ofNullable(pinnedAt);
    }

    /**
     * A typed view of this map. The view owns nothing: it works until this map is closed.
     *
     * @param keys the codec of the map's keys, encoding {@link #keySize()} bytes
     * @param values the codec of one value, encoding {@link #valueSize()} bytes
     * @param <K> the Java type of keys
     * @param <V> the Java type of values
     * @return the view
     * @throws MapException when a codec's size does not match the map's
     */
    public <K, V> MapView<K, V> as(MapCodec<K> keys, MapCodec<V> values) {
        return new MapView<>(this, keys, values);
    }

    /**
     * Where the programs that write to this map count the samples that did not fit, when their loader added such
     * a count (the kernel keeps none for ring buffers); empty otherwise. Any thread.
     *
     * @return the counter, or empty
     */
    public Optional<LossCounter> lossCounter() {
        return Optional.ofNullable(lossCounter);
    }

    /**
     * Says that the programs writing to this map count what they could not write in {@code counter}; set once, by
     * the loader that added the counting to the programs, before any reader opens the map.
     *
     * @param counter where the programs count; its array is owned by the loader, not by this map
     * @throws IllegalStateException when a counter was already set
     */
    public synchronized void countLossesIn(LossCounter counter) {
        Objects.requireNonNull(counter, "counter");
        if (lossCounter != null) {
            throw new IllegalStateException("map '" + name + "' already counts its losses in " + lossCounter);
        }
        lossCounter = counter;
    }

    /**
     * The BTF types of this map's keys and values, when the object that created it declared them; empty for a
     * map created without BTF. Any thread.
     *
     * @return the key and value types, or empty
     */
    public Optional<MapBtf> btf() {
        return Optional.ofNullable(btf);
    }

    /**
     * Says that {@code types} describe this map's keys and values; set once, by the loader that created the map
     * from its definition, before the map is handed out.
     *
     * @param types the key and value types, whose sizes must be the map's
     * @throws IllegalStateException when types were already set
     * @throws MapException          when the types' sizes are not the map's key and value sizes
     */
    public synchronized void typedBy(MapBtf types) {
        Objects.requireNonNull(types, "types");
        if (btf != null) {
            throw new IllegalStateException("map '" + name + "' is already typed by " + btf);
        }
        if (!types.fits(keySize, valueSize)) {
            throw new MapException("map '" + name + "' has " + keySize + "-byte keys and " + valueSize
                    + "-byte values, which its BTF types " + types.btf().describe(types.keyTypeId()) + " and "
                    + types.btf().describe(types.valueTypeId()) + " do not fit");
        }
        btf = types;
    }

    /**
     * Registers {@code action} to run when this map is closed, before its descriptor is: a reader of the map (a
     * perf or ring buffer) ends there instead of reading a map its owner has let go. Runs at once, on the calling
     * thread, when the map is already closed. Closing the returned registration unregisters the action; it runs
     * at most once. Any thread; the action runs on the thread that closes the map and must not block.
     *
     * @param action what to run, once, when the map closes
     * @return the registration; closing it unregisters the action, and never throws
     */
    public AutoCloseable onClose(Runnable action) {
        Objects.requireNonNull(action, "action");
        synchronized (this) {
            if (onClose != null) {
                onClose.add(action);
                return () -> {
                    synchronized (this) {
                        if (onClose != null) {
                            onClose.remove(action);
                        }
                    }
                };
            }
        }
        action.run();
        return () -> { };
    }

    /**
     * Runs the {@link #onClose} actions, then closes the descriptor; later operations fail with EBADF. Only the
     * first call does anything. An action that throws does not keep the others or the close from running.
     */
    @Override
    public void close() {
        List<Runnable> actions;
        synchronized (this) {
            actions = onClose;
            onClose = null;
        }
        if (actions == null) {
            return;
        }
        RuntimeException failure = null;
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        fd.close();
        if (failure != null) {
            throw failure;
        }
    }

    /** One value repeated for every CPU of a per-CPU map, in the layout {@link #update} takes. */
    byte[] replicate(byte[] value) {
        byte[] all = new byte[valueBufferSize()];
        for (int cpu = 0; cpu < cpus; cpu++) {
            System.arraycopy(value, 0, all, cpu * perCpuStride(), value.length);
        }
        return all;
    }

    private int perCpuStride() {
        return (valueSize + 7) & ~7;
    }

    private void checkKey(byte[] key) {
        if (key.length != keySize) {
            throw new MapException("map '" + name + "' has " + keySize + "-byte keys, got " + key.length + " bytes");
        }
    }

    private static byte[] slice(byte[] b, int from, int len) {
        byte[] out = new byte[len];
        System.arraycopy(b, from, out, 0, len);
        return out;
    }

    static boolean isPerCpu(MapType type) {
        return type == MapType.PERCPU_ARRAY || type == MapType.PERCPU_HASH || type == MapType.LRU_PERCPU_HASH
                || type == MapType.PERCPU_CGROUP_STORAGE;
    }

    @Override
    public String toString() {
        return "map '" + name + "' " + type + " key " + keySize + " value " + valueSize + " max " + maxEntries;
    }

    /** Walks GET_NEXT_KEY, remembering returned keys so a restart after a deletion does not repeat them. */
    private final class KeyIterator implements Iterator<byte[]> {
        private final Set<ByteBuffer> seen = new HashSet<>();
        private NativeBuffer current;
        private byte[] next;
        private boolean done;

        @Override
        public boolean hasNext() {
            while (next == null && !done) {
                NativeBuffer candidate = NativeBuffer.allocate(Math.max(1, keySize));
                if (!Bpf.mapGetNextKey(fd, current, candidate)) {
                    done = true;
                    break;
                }
                current = candidate;
                byte[] key = candidate.toBytes(keySize);
                if (seen.add(ByteBuffer.wrap(key))) {
                    next = key;
                }
            }
            return next != null;
        }

        @Override
        public byte[] next() {
            if (!hasNext()) {
                throw new NoSuchElementException("no more keys in map '" + name + "'");
            }
            byte[] k = next;
            next = null;
            return k.clone();
        }
    }
}
