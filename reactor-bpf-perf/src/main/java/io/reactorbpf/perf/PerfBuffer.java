package io.reactorbpf.perf;

import io.reactorbpf.core.sys.CpuHotplugEvents;
import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.Epoll;
import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.EventFd;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.Kernel;
import io.reactorbpf.core.sys.PerfEvent;
import io.reactorbpf.core.sys.PerfEventAttr;
import io.reactorbpf.core.sys.SyscallException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
 * the buffer owns its rings, their mappings and perf event descriptors, its epoll instance, a duplicate of the
 * map descriptor and, when opened for blocking use, the eventfd {@link #wakeup()} signals; {@link #close()}
 * releases them exactly once, after clearing the map slots it set.
 * Backpressure: records stay in the rings until consumed; when a ring is full the kernel drops samples and
 * reports them in a LOST record, which reaches the handler's {@code onLost}.
 */
public final class PerfBuffer implements AutoCloseable {

    /** epoll data of the wakeup eventfd; a ring's data is its CPU number. */
    static final long WAKEUP = -1;
    /** epoll data of the CPU hotplug socket. */
    private static final long HOTPLUG = -2;
    private static final long CPU_CHECK_NANOS = 1_000_000_000L;

    private final PerfBufferSpec spec;
    /** The map slots this buffer set; its monitor guards {@link #paused}: pause and resume may come from any thread. */
    private final MapSlots slots;
    private final RecordHandler handler;
    private final RawRecordHandler rawHandler;
    /** Interrupts a wait from another thread: {@link #wakeup()}, {@link #requestFinish()}, a stream's demand. */
    private final EventFd wakeup;
    /** Whether this buffer opened {@link #wakeup} (the blocking API) and so closes it; a stream's poller owns its own. */
    private final boolean ownsWakeup;
    private final Epoll epoll;
    /** The open rings, in CPU order; replaced (never changed in place) when CPUs go offline or come online. */
    private CpuRing[] rings;
    /** rings by CPU number, null where a CPU has no ring. */
    private CpuRing[] byCpu;
    /** The kernel's CPU online/offline notices; null for the raw variant, or where the socket cannot open. */
    private final CpuHotplugEvents hotplug;
    private long nextCpuCheck;
    private final AtomicBoolean closed = new AtomicBoolean();
    private int next;
    private boolean paused;
    private volatile boolean finishRequested;

    private PerfBuffer(PerfBufferSpec spec, MapSlots slots, RecordHandler handler, RawRecordHandler rawHandler,
                       EventFd wakeup, boolean ownsWakeup, List<CpuRing> rings, Epoll epoll,
                       CpuHotplugEvents hotplug) {
        this.spec = spec;
        this.hotplug = hotplug;
        this.slots = slots;
        this.handler = handler;
        this.rawHandler = rawHandler;
        this.wakeup = wakeup;
        this.ownsWakeup = ownsWakeup;
        this.epoll = epoll;
        setRings(rings);
        this.nextCpuCheck = System.nanoTime() + CPU_CHECK_NANOS;
    }

    private void setRings(List<CpuRing> list) {
        rings = list.toArray(CpuRing[]::new);
        int span = 0;
        for (CpuRing r : rings) {
            span = Math.max(span, r.cpu + 1);
        }
        byCpu = new CpuRing[span];
        for (CpuRing r : rings) {
            byCpu[r.cpu] = r;
        }
        next = 0;
    }

    /**
     * Opens a ring per CPU and fills the map's slots. Exactly one of {@code handler} and {@code rawHandler} is
     * set; {@code wakeup}, watched by {@link #poll} and {@link #await} so another thread can interrupt a wait,
     * is the caller's when given, else the buffer opens and owns one.
     */
    static PerfBuffer open(PerfBufferSpec spec, RecordHandler handler, RawRecordHandler rawHandler, EventFd wakeup) {
        OpenBuffers.claim(spec);
        List<Runnable> release = new ArrayList<>();
        MapSlots slots = null;
        try {
            slots = MapSlots.of(spec);
            Epoll epoll = Epoll.open(64, spec.mapName());
            release.add(epoll::close);
            boolean ownsWakeup = wakeup == null;
            EventFd waker = ownsWakeup ? EventFd.open(spec.mapName()) : wakeup;
            if (ownsWakeup) {
                release.add(waker::close);
            }
            epoll.add(waker.fd(), Epoll.IN, WAKEUP);
            PerfEventAttr attr = spec.attr();
            int[] wanted = spec.cpus();
            int[] wantedKeys = spec.keys(wanted);
            List<CpuRing> rings = new ArrayList<>();
            for (int i = 0; i < wanted.length; i++) {
                CpuRing ring = openRing(spec, attr, wanted[i], wantedKeys[i]);
                if (ring == null) {
                    continue;
                }
                release.add(0, ring::close);
                slots.set(ring.key, ring.event);
                MapSlots filled = slots;
                release.add(0, () -> filled.clear(ring.key));
                epoll.add(ring.event, Epoll.IN, ring.cpu);
                rings.add(ring);
            }
            if (rings.isEmpty()) {
                throw new IllegalStateException("no ring could be opened for map '" + spec.mapName()
                        + "': none of the CPUs " + CpuSet.of(wanted) + " is online");
            }
            CpuHotplugEvents hotplug = spec.isRaw() ? null : listenForHotplug();
            if (hotplug != null) {
                release.add(hotplug::close);
                epoll.add(hotplug.fd(), Epoll.IN, HOTPLUG);
            }
            PerfBuffer buffer = new PerfBuffer(spec, slots, handler, rawHandler, waker, ownsWakeup, rings, epoll,
                    hotplug);
            OpenBuffers.opened(spec, buffer);
            spec.listener().opened(buffer);
            return buffer;
        } catch (RuntimeException | Error e) {
            RuntimeException failure = null;
            for (Runnable step : release) {
                failure = attempt(failure, step);
            }
            if (slots != null) {
                failure = attempt(failure, slots::close);
            }
            OpenBuffers.release(spec);
            if (failure != null) {
                e.addSuppressed(failure);
            }
            throw e;
        }
    }

    /** The hotplug socket, or null where it cannot open (then CPUs are looked at once a second instead). */
    private static CpuHotplugEvents listenForHotplug() {
        try {
            return CpuHotplugEvents.open();
        } catch (SyscallException e) {
            return null;
        }
    }

    /** Opens the ring of {@code cpu}; null when the CPU went offline since the online set was read (as libbpf). */
    private static CpuRing openRing(PerfBufferSpec spec, PerfEventAttr attr, int cpu, int key) {
        try {
            return CpuRing.open(attr, cpu, key, spec.pages(), Kernel.pageSize());
        } catch (SyscallException e) {
            if (!spec.isRaw() && e.errno() == Errno.ENODEV && !CpuSet.online().contains(cpu)) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever) for rings the kernel has woken the reader for, then
     * consumes each of them whole. Returns how many records were handled; 0 after a timeout or a {@link #wakeup()}
     * with no ring ready.
     * Also follows CPU hotplug as the kernel announces it (see {@link #followCpus()}).
     */
    public int poll(int timeoutMillis) {
        followCpusEverySecond();
        return serve(epoll.await(timeoutMillis), true);
    }

    /**
     * Follows CPU hotplug for buffers on the online CPUs (not the raw variant, whose CPUs are the caller's): a
     * CPU that went offline has its ring drained (every record handed out) and closed; a CPU that came online
     * below the map's max_entries gets a ring and its map slot. Returns whether the set of rings changed.
     * Same thread as {@link #poll}.
     */
    public boolean followCpus() {
        return followCpus(Set.of());
    }

    /** Reads the kernel's hotplug notices and follows them; a CPU that came back gets a fresh ring. */
    private void followHotplug() {
        Set<Integer> cameBack = new HashSet<>();
        for (CpuHotplugEvents.Change c : hotplug.read()) {
            if (c.online()) {
                cameBack.add(c.cpu());
            }
        }
        followCpus(cameBack);
    }

    /**
     * Follows the online set; the rings of {@code cameBack} (CPUs that went offline and came back since the
     * last look) are replaced, since the kernel does not restore an event across its CPU's offline spell.
     */
    private boolean followCpus(Set<Integer> cameBack) {
        if (spec.isRaw()) {
            return false;
        }
        CpuSet online = CpuSet.online();
        List<CpuRing> kept = new ArrayList<>();
        boolean changed = false;
        for (CpuRing r : rings) {
            if (online.contains(r.cpu) && !cameBack.contains(r.cpu)) {
                kept.add(r);
                continue;
            }
            changed = true;
            drainRing(r, Integer.MAX_VALUE);
            synchronized (slots) {
                if (!paused) {
                    slots.clear(r.key);
                }
            }
            r.close();
        }
        int[] wanted = spec.cpus();
        for (int cpu : wanted) {
            if (cpu < byCpu.length && byCpu[cpu] != null && online.contains(cpu) && !cameBack.contains(cpu)) {
                continue;
            }
            CpuRing r = openRing(spec, spec.attr(), cpu, spec.keys(new int[] {cpu})[0]);
            if (r == null) {
                continue;
            }
            epoll.add(r.event, Epoll.IN, r.cpu);
            synchronized (slots) {
                if (!paused) {
                    slots.set(r.key, r.event);
                }
            }
            kept.add(r);
            changed = true;
        }
        if (changed) {
            kept.sort(java.util.Comparator.comparingInt(r -> r.cpu));
            setRings(kept);
            spec.listener().opened(this);
        }
        return changed;
    }

    /** {@link #followCpus()} once a second, where the kernel's hotplug notices cannot be heard. */
    void followCpusEverySecond() {
        if (hotplug != null) {
            return;
        }
        long now = System.nanoTime();
        if (now - nextCpuCheck >= 0) {
            nextCpuCheck = now + CPU_CHECK_NANOS;
            followCpus();
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever) for a ring wakeup or the wakeup eventfd, consuming
     * nothing. Returns whether anything was signalled.
     */
    boolean await(int timeoutMillis) {
        int ready = epoll.await(timeoutMillis);
        serve(ready, false);
        return ready > 0;
    }

    /**
     * Answers the {@code ready} descriptors of the last wait: drains the wakeup eventfd, follows hotplug
     * notices and, when {@code consume}, consumes the rings that are ready. Returns the records handled.
     */
    private int serve(int ready, boolean consume) {
        int records = 0;
        for (int i = 0; i < ready; i++) {
            long data = epoll.data(i);
            if (data == WAKEUP) {
                wakeup.drain();
            } else if (data == HOTPLUG) {
                followHotplug();
            } else if (consume && data < byCpu.length && byCpu[(int) data] != null) {
                records += drainRing(byCpu[(int) data], Integer.MAX_VALUE);
            }
        }
        return records;
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
        return drainRing(rings[index], Integer.MAX_VALUE);
    }

    /**
     * Hands out at most {@code max} records, taking rings in turn from where the last call stopped so a busy
     * ring cannot starve the others. Returns how many records were handed out.
     */
    int drain(long max) {
        int total = 0;
        int n = rings.length;
        for (int k = 0; k < n && total < max; k++) {
            total += drainRing(rings[(next + k) % n], (int) Math.min(max - total, Integer.MAX_VALUE));
        }
        next = (next + 1) % n;
        return total;
    }

    private int drainRing(CpuRing r, int max) {
        return rawHandler != null ? r.ring.drainRaw(max, rawHandler) : r.ring.drain(max, handler);
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
        for (CpuRing r : rings) {
            PerfEvent.pauseOutput(r.event, true);
            try {
                records += r.ring.snapshot(handler);
            } finally {
                PerfEvent.pauseOutput(r.event, false);
            }
        }
        return records;
    }

    /** Whether any ring holds records: a peek at each ring's data_head, no syscall. */
    public boolean hasData() {
        for (CpuRing r : rings) {
            if (!r.ring.isEmpty()) {
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
        return rings[index].event;
    }

    /** The CPU of ring {@code index}. */
    public int cpu(int index) {
        return rings[index].cpu;
    }

    /** The epoll instance that watches every ring (perf_buffer__epoll_fd), for an outside event loop. */
    public FileDescriptor epollFd() {
        return epoll.fd();
    }

    /** Counts of what ring {@code index} has handed out. */
    public PerfRingCounters counters(int index) {
        return rings[index].ring.counters();
    }

    /** Samples handed out by all rings; readable from any thread. */
    public long samples() {
        long n = 0;
        for (CpuRing r : rings) {
            n += r.ring.counters().samples();
        }
        return n;
    }

    /** Samples the kernel reported lost in all rings; readable from any thread. */
    public long lost() {
        long n = 0;
        for (CpuRing r : rings) {
            n += r.ring.counters().lost();
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
                for (CpuRing r : rings) {
                    slots.clear(r.key);
                }
                paused = true;
            }
        }
    }

    /** Restores the map slots that {@link #pause()} cleared. Any thread. */
    public void resume() {
        synchronized (slots) {
            if (paused && !closed.get() && !finishRequested) {
                for (CpuRing r : rings) {
                    slots.set(r.key, r.event);
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
        wakeup.signal();
    }

    /**
     * Wakes the thread waiting in {@link #poll}, which then returns the records of any rings that were ready too
     * (0 if none), so a reader can wait with no timeout and still be stopped from another thread. Any thread;
     * does nothing once the buffer is closed.
     */
    public void wakeup() {
        wakeup.signal();
    }

    /** Whether {@link #requestFinish()} was called. */
    boolean finishRequested() {
        return finishRequested;
    }

    /**
     * Turns every ring's perf event off, so the kernel writes no more records; those already written can still
     * be consumed.
     */
    void disableEvents() {
        for (CpuRing r : rings) {
            PerfEvent.disable(r.event);
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
        RuntimeException failure = null;
        synchronized (slots) {
            if (!paused) {
                for (CpuRing r : rings) {
                    failure = attempt(failure, () -> slots.clear(r.key));
                }
                paused = true;
            }
        }
        for (CpuRing r : rings) {
            failure = attempt(failure, r::close);
        }
        if (hotplug != null) {
            failure = attempt(failure, hotplug::close);
        }
        failure = attempt(failure, epoll::close);
        if (ownsWakeup) {
            failure = attempt(failure, wakeup::close);
        }
        failure = attempt(failure, slots::close);
        failure = attempt(failure, () -> spec.listener().closed(this));
        OpenBuffers.release(spec);
        if (failure != null) {
            throw failure;
        }
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

}
