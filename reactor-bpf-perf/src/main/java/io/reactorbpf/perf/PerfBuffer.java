package io.reactorbpf.perf;

import io.reactorbpf.core.sys.Bpf;
import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.Epoll;
import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.EventFd;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.Kernel;
import io.reactorbpf.core.sys.MappedMemory;
import io.reactorbpf.core.sys.NativeBuffer;
import io.reactorbpf.core.sys.PerfEvent;
import io.reactorbpf.core.sys.PerfEventAttr;
import io.reactorbpf.core.sys.SyscallException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Per-CPU perf rings for one {@code PERF_EVENT_ARRAY} map, read by blocking calls: libbpf's
 * {@code struct perf_buffer} ({@link #poll} = perf_buffer__poll, {@link #consume} = __consume,
 * {@link #consumeBuffer} = __consume_buffer, {@link #bufferCount}, {@link #bufferFd}, {@link #epollFd},
 * {@link #close} = __free). Opening stores each ring's perf event in the map slot of its CPU, so the BPF
 * program's {@code bpf_perf_event_output(ctx, &map, BPF_F_CURRENT_CPU, ...)} lands in the ring of the CPU it
 * runs on.
 *
 * <p>Threading: one thread at a time polls, consumes and closes; the handler runs on that thread. Ownership:
 * the buffer owns its rings, their mappings and perf event descriptors, its epoll instance and a duplicate of
 * the map descriptor; {@link #close()} releases them exactly once, after clearing the map slots it set.
 * Backpressure: records stay in the rings until consumed; when a ring is full the kernel drops samples and
 * reports them in a LOST record, which reaches the handler's {@code onLost}.
 */
public final class PerfBuffer implements AutoCloseable {

    /** Maps (by kernel id) that have an open buffer, guarded by its monitor: a map's slots serve one buffer. */
    private static final Set<Integer> OPEN_MAPS = new HashSet<>();
    /** How long opening waits for the previous buffer of the same map to finish closing. */
    private static final long CLAIM_WAIT_MILLIS = 2_000;
    /** The open buffer of each map (by kernel id), for the spec's pause, resume and complete. */
    private static final Map<Integer, PerfBuffer> ACTIVE = new ConcurrentHashMap<>();
    /** epoll data of the wakeup eventfd; ring i has data i. */
    static final long WAKEUP = -1;

    private final PerfBufferSpec spec;
    private final FileDescriptor map;
    private final RecordHandler handler;
    private final RawRecordHandler rawHandler;
    private final EventFd wakeup;
    private final int[] cpus;
    private final int[] keys;
    private final FileDescriptor[] events;
    private final MappedMemory[] mappings;
    private final PerfRing[] rings;
    private final Epoll epoll;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Guards the map slots: pause and resume may come from any thread, close from the owner's. */
    private final Object slots = new Object();
    private int next;
    private boolean paused;
    private volatile boolean finishRequested;

    private PerfBuffer(PerfBufferSpec spec, FileDescriptor map, RecordHandler handler, RawRecordHandler rawHandler,
                       EventFd wakeup, int[] cpus, int[] keys, FileDescriptor[] events, MappedMemory[] mappings,
                       PerfRing[] rings, Epoll epoll) {
        this.spec = spec;
        this.map = map;
        this.handler = handler;
        this.rawHandler = rawHandler;
        this.wakeup = wakeup;
        this.cpus = cpus;
        this.keys = keys;
        this.events = events;
        this.mappings = mappings;
        this.rings = rings;
        this.epoll = epoll;
    }

    /**
     * Opens a ring per CPU and fills the map's slots. Exactly one of {@code handler} and {@code rawHandler} is
     * set; {@code wakeup}, when given, is watched by {@link #poll} and {@link #await} so another thread can
     * interrupt a wait.
     */
    static PerfBuffer open(PerfBufferSpec spec, RecordHandler handler, RawRecordHandler rawHandler, EventFd wakeup) {
        claim(spec);
        List<Runnable> release = new ArrayList<>();
        FileDescriptor map = null;
        try {
            map = spec.map().duplicate("perf event array " + spec.mapName());
            Epoll epoll = Epoll.open(64, spec.mapName());
            release.add(epoll::close);
            if (wakeup != null) {
                epoll.add(wakeup.fd(), Epoll.IN, WAKEUP);
            }
            PerfEventAttr attr = spec.attr();
            int pageSize = Kernel.pageSize();
            long length = (long) (spec.pages() + 1) * pageSize;
            int[] wanted = spec.cpus();
            int[] wantedKeys = spec.keys(wanted);
            List<Integer> cpus = new ArrayList<>();
            List<Integer> keys = new ArrayList<>();
            List<FileDescriptor> events = new ArrayList<>();
            List<MappedMemory> mappings = new ArrayList<>();
            List<PerfRing> rings = new ArrayList<>();
            for (int i = 0; i < wanted.length; i++) {
                FileDescriptor event;
                try {
                    event = PerfEvent.open(attr, -1, wanted[i], -1);
                } catch (SyscallException e) {
                    // a CPU that went offline since the online set was read has no ring, as in libbpf
                    if (!spec.isRaw() && e.errno() == Errno.ENODEV && !CpuSet.online().contains(wanted[i])) {
                        continue;
                    }
                    throw e;
                }
                release.add(event::close);
                MappedMemory mapping = MappedMemory.map(event, length,
                        MappedMemory.PROT_READ | (attr.isWriteBackward() ? 0 : MappedMemory.PROT_WRITE), 0);
                release.add(0, mapping::close);
                PerfRing ring = new PerfRing(mapping.buffer(), wanted[i], pageSize);
                PerfEvent.enable(event);
                setSlot(map, wantedKeys[i], event.fd());
                int key = wantedKeys[i];
                FileDescriptor slots = map;
                release.add(0, () -> clearSlot(slots, key));
                epoll.add(event, Epoll.IN, rings.size());
                cpus.add(wanted[i]);
                keys.add(wantedKeys[i]);
                events.add(event);
                mappings.add(mapping);
                rings.add(ring);
            }
            if (rings.isEmpty()) {
                throw new IllegalStateException("no ring could be opened for map '" + spec.mapName()
                        + "': none of the CPUs " + CpuSet.of(wanted) + " is online");
            }
            PerfBuffer buffer = new PerfBuffer(spec, map, handler, rawHandler, wakeup, toArray(cpus), toArray(keys),
                    events.toArray(FileDescriptor[]::new), mappings.toArray(MappedMemory[]::new),
                    rings.toArray(PerfRing[]::new), epoll);
            ACTIVE.put(spec.mapId(), buffer);
            spec.listener().opened(buffer);
            return buffer;
        } catch (RuntimeException | Error e) {
            RuntimeException failure = null;
            for (Runnable step : release) {
                failure = attempt(failure, step);
            }
            if (map != null) {
                failure = attempt(failure, map::close);
            }
            release(spec);
            if (failure != null) {
                e.addSuppressed(failure);
            }
            throw e;
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever) for rings the kernel has woken the reader for, then
     * consumes each of them whole. Returns how many records were handled; 0 after a timeout or a wakeup.
     */
    public int poll(int timeoutMillis) {
        int ready = epoll.await(timeoutMillis);
        int records = 0;
        for (int i = 0; i < ready; i++) {
            long data = epoll.data(i);
            if (data == WAKEUP) {
                wakeup.drain();
            } else {
                records += consumeBuffer((int) data);
            }
        }
        return records;
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever) for a ring wakeup or the wakeup eventfd, consuming
     * nothing. Returns whether anything was signalled.
     */
    boolean await(int timeoutMillis) {
        int ready = epoll.await(timeoutMillis);
        for (int i = 0; i < ready; i++) {
            if (epoll.data(i) == WAKEUP) {
                wakeup.drain();
            }
        }
        return ready > 0;
    }

    /** Consumes every ring whole, without waiting. Returns how many records were handled. */
    public int consume() {
        int records = 0;
        for (int i = 0; i < rings.length; i++) {
            records += consumeBuffer(i);
        }
        return records;
    }

    /** Consumes the records present in ring {@code index} (0 .. bufferCount-1). */
    public int consumeBuffer(int index) {
        return drainRing(index, Integer.MAX_VALUE);
    }

    /**
     * Hands out at most {@code max} records, taking rings in turn from where the last call stopped so a busy
     * ring cannot starve the others. Returns how many records were handed out.
     */
    int drain(long max) {
        int total = 0;
        int n = rings.length;
        for (int k = 0; k < n && total < max; k++) {
            int i = (next + k) % n;
            total += drainRing(i, (int) Math.min(max - total, Integer.MAX_VALUE));
        }
        next = (next + 1) % n;
        return total;
    }

    private int drainRing(int index, int max) {
        PerfRing ring = rings[index];
        return rawHandler != null ? ring.drainRaw(max, rawHandler) : ring.drain(max, handler);
    }

    /**
     * Reads the newest records of every overwritable ring ({@link PerfBufferSpec#withOverwritable}), newest
     * first within each ring, pausing each ring's output while it is read. Returns how many records were
     * handed to the handler. Same thread as {@link #poll}.
     */
    public int snapshot() {
        if (!spec.isOverwritable()) {
            throw new IllegalStateException("snapshot() reads overwritable rings; open the buffer from a spec"
                    + " withOverwritable(true), or use poll() and consume() on ordinary rings");
        }
        if (handler == null) {
            throw new IllegalStateException("snapshot() hands records to a RecordHandler; open the buffer with open()");
        }
        int records = 0;
        for (int i = 0; i < rings.length; i++) {
            PerfEvent.pauseOutput(events[i], true);
            try {
                records += rings[i].snapshot(handler);
            } finally {
                PerfEvent.pauseOutput(events[i], false);
            }
        }
        return records;
    }

    /** Whether any ring holds records: a peek at each ring's data_head, no syscall. */
    public boolean hasData() {
        for (PerfRing ring : rings) {
            if (!ring.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** How many rings are open (perf_buffer__buffer_cnt). */
    public int bufferCount() {
        return rings.length;
    }

    /** The perf event descriptor of ring {@code index} (perf_buffer__buffer_fd). */
    public FileDescriptor bufferFd(int index) {
        return events[index];
    }

    /** The CPU of ring {@code index}. */
    public int cpu(int index) {
        return cpus[index];
    }

    /** The epoll instance that watches every ring (perf_buffer__epoll_fd), for an outside event loop. */
    public FileDescriptor epollFd() {
        return epoll.fd();
    }

    /** Counts of what ring {@code index} has handed out. */
    public PerfRingCounters counters(int index) {
        return rings[index].counters();
    }

    /** Samples handed out by all rings; readable from any thread. */
    public long samples() {
        long n = 0;
        for (PerfRing ring : rings) {
            n += ring.counters().samples();
        }
        return n;
    }

    /** Samples the kernel reported lost in all rings; readable from any thread. */
    public long lost() {
        long n = 0;
        for (PerfRing ring : rings) {
            n += ring.counters().lost();
        }
        return n;
    }

    /**
     * Clears the map slots, so the BPF program's output goes nowhere (bpf_perf_event_output() fails with
     * ENOENT and nothing is counted as lost) while the rings and their records stay. Any thread.
     */
    public void pause() {
        synchronized (slots) {
            if (!paused && !closed.get()) {
                for (int key : keys) {
                    clearSlot(map, key);
                }
                paused = true;
            }
        }
    }

    /** Restores the map slots that {@link #pause()} cleared. Any thread. */
    public void resume() {
        synchronized (slots) {
            if (paused && !closed.get() && !finishRequested) {
                for (int i = 0; i < rings.length; i++) {
                    setSlot(map, keys[i], events[i].fd());
                }
                paused = false;
            }
        }
    }

    /** Whether output is paused. */
    public boolean isPaused() {
        synchronized (slots) {
            return paused;
        }
    }

    /**
     * Asks the reader of this buffer to finish: stop output, hand out what the rings still hold, then end. Any
     * thread; wakes a reader waiting in {@link #poll} or {@link #await}.
     */
    void requestFinish() {
        finishRequested = true;
        if (wakeup != null) {
            wakeup.signal();
        }
    }

    /** Whether {@link #requestFinish()} was called. */
    boolean finishRequested() {
        return finishRequested;
    }

    /** The open buffer of the map with kernel id {@code mapId}, or null. */
    static PerfBuffer active(int mapId) {
        return ACTIVE.get(mapId);
    }

    /**
     * Turns every ring's perf event off, so the kernel writes no more records; those already written can still
     * be consumed.
     */
    void disableEvents() {
        for (FileDescriptor event : events) {
            PerfEvent.disable(event);
        }
    }

    /** The spec this buffer was opened from. */
    public PerfBufferSpec spec() {
        return spec;
    }

    /**
     * Clears the map slots this buffer set, unmaps the rings and closes every descriptor it owns (libbpf's
     * perf_buffer__free). Only the first call does anything. Call it on the thread that polls, or after that
     * thread has stopped: the rings' memory is gone afterwards.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ACTIVE.remove(spec.mapId(), this);
        RuntimeException failure = null;
        synchronized (slots) {
            if (!paused) {
                for (int key : keys) {
                    failure = attempt(failure, () -> clearSlot(map, key));
                }
                paused = true;
            }
        }
        for (int i = 0; i < rings.length; i++) {
            failure = attempt(failure, mappings[i]::close);
            failure = attempt(failure, events[i]::close);
        }
        failure = attempt(failure, epoll::close);
        failure = attempt(failure, map::close);
        failure = attempt(failure, () -> spec.listener().closed(this));
        release(spec);
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Takes the map for this buffer, waiting a little for a buffer that is still closing (a resubscription
     * right after a cancel) and failing when another buffer keeps it.
     */
    private static void claim(PerfBufferSpec spec) {
        synchronized (OPEN_MAPS) {
            long deadline = System.nanoTime() + CLAIM_WAIT_MILLIS * 1_000_000;
            while (OPEN_MAPS.contains(spec.mapId())) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IllegalStateException("map '" + spec.mapName() + "' already has an open perf buffer,"
                            + " and its per-CPU slots can serve only one: share one Flux among subscribers with"
                            + " share() or publish()");
                }
                try {
                    OPEN_MAPS.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for map '" + spec.mapName() + "'", e);
                }
            }
            OPEN_MAPS.add(spec.mapId());
        }
    }

    private static void release(PerfBufferSpec spec) {
        synchronized (OPEN_MAPS) {
            OPEN_MAPS.remove(spec.mapId());
            OPEN_MAPS.notifyAll();
        }
    }

    private static void setSlot(FileDescriptor map, int key, int fd) {
        NativeBuffer k = NativeBuffer.allocate(4);
        NativeBuffer v = NativeBuffer.allocate(4);
        k.buffer().putInt(0, key);
        v.buffer().putInt(0, fd);
        Bpf.mapUpdateElem(map, k, v, Bpf.ANY);
    }

    private static void clearSlot(FileDescriptor map, int key) {
        NativeBuffer k = NativeBuffer.allocate(4);
        k.buffer().putInt(0, key);
        Bpf.mapDeleteElem(map, k);
    }

    /** Runs one release step; a failure is kept (the first) or added to the first as suppressed. */
    private static RuntimeException attempt(RuntimeException failure, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
        }
        return failure;
    }

    private static int[] toArray(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
