package io.reactorbpf.perf;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.internal.sys.CpuHotplugEvents;
import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.internal.sys.Epoll;
import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.internal.sys.EventFd;
import io.reactorbpf.core.sys.Kernel;
import io.reactorbpf.core.sys.MapInfo;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.internal.sys.PerfEvent;
import io.reactorbpf.core.sys.PerfEventAttr;
import io.reactorbpf.core.sys.SyscallException;
import io.reactorbpf.core.internal.sys.TimerFd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The per-CPU perf rings of one {@code PERF_EVENT_ARRAY} map and everything that serves them: the map slots
 * that point at them, the epoll set that watches them, the eventfd that interrupts a wait, and the CPU hotplug
 * socket. The engine under both {@link PerfBuffer} and {@link PerfStream}.
 *
 * <p>Threading: confined to one owner thread at a time (a stream's poller, or the thread inside a
 * {@link PerfBuffer} call); only {@link #signal()}, {@link #claimReleasing()}, {@link #isPaused()} and {@link #rings()} may be called from any thread. Other
 * threads ask the owner for pause, resume, finish and close through their reader, which applies them here
 * between passes. Ownership: holds every descriptor and mapping it opened, a duplicate of the map descriptor
 * (the kernel clears a map file's slots when that file closes) and the claim on the map; {@link #close()}
 * releases them exactly once, on the owner thread, after it has left {@code epoll_wait}.
 */
final class RingSet implements StreamRings {

    /** epoll data of the wakeup eventfd; a ring's data is its CPU number. */
    private static final long WAKEUP = -1;
    /** epoll data of the CPU hotplug socket. */
    private static final long HOTPLUG = -2;
    /** epoll data of the peek timer. */
    private static final long PEEK = -3;
    private static final long CPU_CHECK_NANOS = 1_000_000_000L;

    private final String mapName;
    private final int maxEntries;
    private final PerfBufferOptions options;
    private final MapClaims.Claim claim;
    private final MapSlots slots;
    private final EventFd wakeup;
    private final Epoll epoll;
    /** Watches only the eventfd: where the owner waits while it must not read the rings (no demand). */
    private final Epoll signals;
    /** The kernel's CPU online/offline notices; null for the raw variant, or where the socket cannot open. */
    private final CpuHotplugEvents hotplug;
    /**
     * Adaptive wakeups only, else null: expires each peek period while some CPU is batched or settling, so the
     * owner waits with no timeout and still looks at the rings on time, at fixed instants.
     */
    private final TimerFd peeks;
    /** Whether {@link #peeks} is armed. */
    private boolean peeking;
    /** The open rings, in CPU order. */
    private volatile CpuRing[] rings;
    /** rings by CPU number, null where a CPU has no ring. */
    private CpuRing[] byCpu;
    private volatile PerfRings published;
    private RecordVisitor offlineReader = (cpu, type, misc, record, offset, length) -> false;
    private int next;
    private long nextCpuCheck;
    /** Written by the owner, read by any thread: whether the map slots are clear. */
    private volatile boolean paused;
    /** Whether the map slots were given up early ({@link #releaseMap()}); then nothing touches them again. */
    private boolean mapReleased;
    private boolean closed;

    private RingSet(String mapName, int maxEntries, PerfBufferOptions options, MapClaims.Claim claim, MapSlots slots,
                    EventFd wakeup, Epoll epoll, Epoll signals, CpuHotplugEvents hotplug, TimerFd peeks,
                    boolean paused) {
        this.mapName = mapName;
        this.maxEntries = maxEntries;
        this.options = options;
        this.claim = claim;
        this.slots = slots;
        this.wakeup = wakeup;
        this.epoll = epoll;
        this.signals = signals;
        this.hotplug = hotplug;
        this.peeks = peeks;
        this.paused = paused;
        this.rings = new CpuRing[0];
        this.byCpu = new CpuRing[0];
        this.nextCpuCheck = System.nanoTime() + CPU_CHECK_NANOS;
    }

    /**
     * Opens a ring per CPU, fills the map's slots unless {@code paused}, and returns the set owned by the calling
     * thread.
     *
     * @throws IllegalArgumentException if {@code map} is not a PERF_EVENT_ARRAY, or a raw key is outside it
     * @throws IllegalStateException if another reader holds the map, or no CPU to open a ring on is online
     */
    static RingSet open(BpfMap map, PerfBufferOptions options, boolean paused) {
        MapInfo info = MapInfo.of(map.fd());
        if (info.type() != MapType.PERF_EVENT_ARRAY.value()) {
            throw new IllegalArgumentException("map '" + map.name() + "' is a " + info.mapType()
                    + ", not a PERF_EVENT_ARRAY" + (info.type() == MapType.RINGBUF.value()
                    ? "; read a BPF ring buffer with RingBuffer"
                    : "; a perf buffer reads the map that bpf_perf_event_output() writes to"));
        }
        if (options.isRaw()) {
            for (int key : options.raw().keys()) {
                if (key >= info.maxEntries()) {
                    throw new IllegalArgumentException("map key " + key + " is outside map '" + map.name()
                            + "' (max_entries " + info.maxEntries() + ")");
                }
            }
        }
        MapClaims.Claim claim = MapClaims.claim(info.id(), map.name());
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            MapSlots slots = MapSlots.of(map);
            opened.add(slots);
            EventFd wakeup = EventFd.open(map.name());
            opened.add(wakeup);
            Epoll epoll = Epoll.open(64, map.name());
            opened.add(epoll);
            epoll.add(wakeup.fd(), Epoll.IN, WAKEUP);
            Epoll signals = Epoll.open(1, map.name() + " signals");
            opened.add(signals);
            signals.add(wakeup.fd(), Epoll.IN, WAKEUP);
            CpuHotplugEvents hotplug = options.isRaw() ? null : listenForHotplug();
            if (hotplug != null) {
                opened.add(hotplug);
                epoll.add(hotplug.fd(), Epoll.IN, HOTPLUG);
            }
            TimerFd peeks = null;
            if (options.wakeup() instanceof Wakeup.Adaptive) {
                peeks = TimerFd.open(map.name() + " peeks");
                opened.add(peeks);
                epoll.add(peeks.fd(), Epoll.IN, PEEK);
            }
            RingSet set = new RingSet(map.name(), info.maxEntries(), options, claim, slots, wakeup, epoll, signals,
                    hotplug, peeks, paused);
            opened.add(set);
            set.openRings();
            return set;
        } catch (RuntimeException | Error e) {
            Collections.reverse(opened);
            Unwind.after(e, opened.toArray(AutoCloseable[]::new));
            claim.release();
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

    private void openRings() {
        int[] cpus = wantedCpus();
        int[] keys = options.isRaw() ? options.raw().keys() : cpus;
        List<CpuRing> opened = new ArrayList<>();
        PerfEventAttr attr = options.attr();
        for (int i = 0; i < cpus.length; i++) {
            CpuRing ring = openRing(attr, cpus[i], keys[i]);
            if (ring != null) {
                opened.add(ring);
                // in the set at once, so a failure on the next CPU closes this ring with the set
                setRings(opened);
                if (!paused) {
                    slots.set(ring.key, ring.slotEvent());
                }
                ring.register(epoll);
            }
        }
        if (opened.isEmpty()) {
            throw new IllegalStateException("no ring could be opened for map '" + mapName + "': none of the CPUs "
                    + CpuSet.of(cpus) + " is online");
        }
        publish();
    }

    /** The CPUs to open rings on: the raw variant's list, or the online CPUs below the map's max_entries. */
    private int[] wantedCpus() {
        return options.isRaw() ? options.raw().cpus() : CpuSet.online().below(maxEntries).toArray();
    }

    /** Opens the ring of {@code cpu}; null when the CPU went offline since the online set was read (as libbpf). */
    private CpuRing openRing(PerfEventAttr attr, int cpu, int key) {
        try {
            return options.wakeup() instanceof Wakeup.Adaptive
                    ? CpuRing.openAdaptive(options, cpu, key, Kernel.pageSize())
                    : CpuRing.open(attr, cpu, key, options.pages(), Kernel.pageSize());
        } catch (SyscallException e) {
            if (!options.isRaw() && e.errno() == Errno.ENODEV && !CpuSet.online().contains(cpu)) {
                return null;
            }
            throw e;
        }
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

    private void publish() {
        List<PerfRings.Ring> list = new ArrayList<>(rings.length);
        for (CpuRing r : rings) {
            list.add(new PerfRings.Ring(r.cpu, r.key, r.ring.counters()));
        }
        published = new PerfRings(mapName, list);
        options.listener().opened(published);
    }

    /** The rings open now. Any thread. */
    @Override
    public PerfRings rings() {
        return published;
    }

    @Override
    public String mapName() {
        return mapName;
    }

    /**
     * How long the owner may wait before it must look at the rings: the latency bound, or -1 (until a wakeup) with
     * adaptive wakeups, whose peek timer wakes the owner instead; it is armed here while some CPU is batched or
     * settling, and disarmed while every ring wakes per sample. Owner thread, before each wait.
     */
    @Override
    public int peekMillis() {
        if (peeks == null) {
            return options.peekMillis();
        }
        long now = System.nanoTime();
        boolean needed = false;
        for (CpuRing r : rings) {
            needed |= r.needsPeeks(now);
        }
        if (needed != peeking) {
            peeks.every(needed ? peekPeriodNanos(options.latencyBound().toNanos()) : 0);
            peeking = needed;
        }
        return -1;
    }

    /** Whether the peek timer is armed: some CPU needed peeks when {@link #peekMillis()} last looked. */
    boolean peeking() {
        return peeking;
    }

    /**
     * The peek timer's period for a latency bound: an eighth less than the bound, which leaves a record written
     * just after a peek the time the owner takes to wake and reach it, so it waits no longer than the bound.
     */
    static long peekPeriodNanos(long boundNanos) {
        return Math.max(1, boundNanos - boundNanos / 8);
    }

    /** Reads one CPU's rings; with adaptive wakeups, points its slot at the other event when its rate says so. */
    private int read(CpuRing r, RecordVisitor visitor) {
        int taken = r.read(visitor);
        if (r.adaptive() && r.observe(taken, System.nanoTime(), options.latencyBound().toNanos())
                && !paused && !mapReleased) {
            slots.set(r.key, r.slotEvent());
        }
        return taken;
    }

    /** The poller reads what a CPU going offline leaves, as demand allows; the rest is counted as discarded. */
    @Override
    public void adopt(StreamPoller<?> poller) {
        onOffline(poller);
    }

    @Override
    public void await(int timeoutMillis) {
        await(timeoutMillis, null);
    }

    @Override
    public int readFair(StreamPoller<?> poller) {
        return readFair((RecordVisitor) poller);
    }

    PerfBufferOptions options() {
        return options;
    }

    /** The epoll instance that watches every ring (perf_buffer__epoll_fd). */
    Epoll epoll() {
        return epoll;
    }

    /** Interrupts the owner's wait, now or the next time it waits. Any thread; nothing once closed. */
    @Override
    public void signal() {
        wakeup.signal();
    }

    /** The ring at {@code index} (0 .. count-1). */
    CpuRing ring(int index) {
        return rings[index];
    }

    int count() {
        return rings.length;
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever) for a ring wakeup, a signal or a hotplug notice, then
     * follows hotplug notices and, when {@code visitor} is not null, reads the rings that are ready with it.
     * Returns how many records the visitor took; -1 when the wait timed out with nothing ready.
     */
    int await(int timeoutMillis, RecordVisitor visitor) {
        followCpusEverySecond();
        int ready = epoll.await(timeoutMillis);
        if (ready == 0) {
            return -1;
        }
        int taken = 0;
        for (int i = 0; i < ready; i++) {
            long data = epoll.data(i);
            if (data == WAKEUP) {
                wakeup.drain();
            } else if (data == HOTPLUG) {
                followHotplug();
            } else if (data == PEEK) {
                peeks.drain();
                if (visitor != null) {
                    taken += readAll(visitor);
                }
            } else if (visitor != null && data < byCpu.length && byCpu[(int) data] != null) {
                taken += read(byCpu[(int) data], visitor);
            }
        }
        return taken;
    }

    /** Waits, up to {@code timeoutMillis} (-1: forever), for a {@link #signal()} only; the rings are left alone. */
    @Override
    public void awaitSignal(int timeoutMillis) {
        if (signals.await(timeoutMillis) > 0) {
            wakeup.drain();
        }
    }

    /**
     * Reads the rings in turn with {@code visitor}, starting one ring further each call so a busy ring cannot
     * starve the others, until every ring was read or the visitor declined a record. Returns the records taken.
     */
    int readFair(RecordVisitor visitor) {
        int taken = 0;
        int n = rings.length;
        for (int k = 0; k < n; k++) {
            taken += read(rings[(next + k) % n], visitor);
        }
        next = n == 0 ? 0 : (next + 1) % n;
        return taken;
    }

    /** Reads ring {@code index} whole with {@code visitor}. */
    int read(int index, RecordVisitor visitor) {
        return read(rings[index], visitor);
    }

    /** Reads every ring with {@code visitor}. */
    int readAll(RecordVisitor visitor) {
        int taken = 0;
        for (CpuRing r : rings) {
            taken += read(r, visitor);
        }
        return taken;
    }

    /** Reads the newest records of every overwritable ring, pausing each ring's output while it is read. */
    int snapshot(RecordVisitor visitor) {
        int taken = 0;
        for (CpuRing r : rings) {
            PerfEvent.pauseOutput(r.event, true);
            try {
                taken += r.ring.snapshot(visitor);
            } finally {
                PerfEvent.pauseOutput(r.event, false);
            }
        }
        return taken;
    }

    /** Whether any ring holds records: a peek at each ring's data_head, no syscall. */
    @Override
    public boolean hasData() {
        for (CpuRing r : rings) {
            if (!r.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Clears the map slots, so the program's output goes nowhere while the rings and their records stay. */
    @Override
    public void pause() {
        if (!paused && !mapReleased) {
            for (CpuRing r : rings) {
                slots.clear(r.key);
            }
        }
        paused = true;
    }

    /** Points the map slots at the rings again. */
    @Override
    public void resume() {
        if (paused && !mapReleased) {
            for (CpuRing r : rings) {
                slots.set(r.key, r.slotEvent());
            }
            paused = false;
        }
    }

    /** Whether the map slots are clear (paused, stopped or given up). Any thread. */
    @Override
    public boolean isPaused() {
        return paused;
    }

    /** Stops output for good: the slots cleared and every ring's event disabled; what the rings hold stays. */
    @Override
    public void stopOutput() {
        pause();
        for (CpuRing r : rings) {
            r.disable();
        }
    }

    /** Says this set's reader is stopping, so a new claim on the map waits for it instead of failing. Any thread. */
    @Override
    public void claimReleasing() {
        claim.releasing();
    }

    /**
     * Gives the map up now, before the rings are released: clears the slots, closes the map descriptor and
     * releases the claim, so another reader may open on the map while this set's owner unwinds. Later calls do
     * nothing.
     */
    @Override
    public void releaseMap() {
        if (mapReleased) {
            return;
        }
        try {
            pause();
        } finally {
            paused = true;
            mapReleased = true;
            try {
                slots.close();
            } finally {
                claim.release();
            }
        }
    }

    /**
     * Follows CPU hotplug (not for the raw variant, whose CPUs are the caller's): a CPU that went offline has
     * its ring read whole with {@code visitor} (when not null) and closed; a CPU that came online below the
     * map's max_entries gets a ring, and its map slot unless paused. Returns whether the set changed.
     */
    boolean followCpus() {
        return followCpus(Set.of());
    }

    private void followHotplug() {
        Set<Integer> cameBack = new HashSet<>();
        for (CpuHotplugEvents.Change c : hotplug.read()) {
            if (c.online()) {
                cameBack.add(c.cpu());
            }
        }
        followCpus(cameBack);
    }

    /** {@link #followCpus()} once a second, where the kernel's hotplug notices cannot be heard. */
    void followCpusEverySecond() {
        if (hotplug != null || options.isRaw()) {
            return;
        }
        long now = System.nanoTime();
        if (now - nextCpuCheck >= 0) {
            nextCpuCheck = now + CPU_CHECK_NANOS;
            followCpus();
        }
    }

    /**
     * Who reads the records left in the ring of a CPU that goes offline, before the ring closes; what it
     * declines is counted as discarded. Set by the reader that owns this set.
     */
    void onOffline(RecordVisitor visitor) {
        this.offlineReader = visitor;
    }

    /**
     * Follows the online set; the rings of {@code cameBack} (CPUs that went offline and came back since the
     * last look) are replaced, since the kernel does not restore an event across its CPU's offline spell.
     */
    private boolean followCpus(Set<Integer> cameBack) {
        if (options.isRaw() || mapReleased) {
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
            try {
                drainForGood(r);
            } finally {
                if (!paused) {
                    slots.clear(r.key);
                }
                r.close();
            }
        }
        PerfEventAttr attr = options.attr();
        for (int cpu : wantedCpus()) {
            if (cpu < byCpu.length && byCpu[cpu] != null && online.contains(cpu) && !cameBack.contains(cpu)) {
                continue;
            }
            CpuRing r = openRing(attr, cpu, cpu);
            if (r == null) {
                continue;
            }
            kept.add(r);
            changed = true;
            // in the set at once, so the ring closes with the set if what follows fails
            setRings(kept);
            r.register(epoll);
            if (!paused) {
                slots.set(r.key, r.slotEvent());
            }
        }
        if (changed) {
            kept.sort(Comparator.comparingInt(k -> k.cpu));
            setRings(kept);
            publish();
        }
        return changed;
    }

    /**
     * Hands what a closing ring holds to the offline reader and counts the rest as discarded; an overwritable
     * ring's records are the newest the kernel kept, read only by snapshots, and are left as they are.
     */
    private void drainForGood(CpuRing r) {
        if (!options.overwritable()) {
            r.read(offlineReader);
            r.discard();
        }
    }

    /**
     * Clears the map slots this set filled, unmaps the rings and closes every descriptor, then releases the
     * claim on the map. Owner thread only, after it has left epoll_wait for good; later calls do nothing.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        failure = attempt(failure, this::releaseMap);
        for (CpuRing r : rings) {
            if (!options.overwritable()) {
                // what the reader left behind is counted, so delivered + lost + discarded covers every record
                failure = attempt(failure, r::discard);
            }
            failure = attempt(failure, r::close);
        }
        if (hotplug != null) {
            failure = attempt(failure, hotplug::close);
        }
        if (peeks != null) {
            failure = attempt(failure, peeks::close);
        }
        failure = attempt(failure, signals::close);
        failure = attempt(failure, epoll::close);
        failure = attempt(failure, wakeup::close);
        PerfRings last = published;
        if (last != null) {
            failure = attempt(failure, () -> options.listener().closed(last));
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Runs one release step; a failure is kept (the first) or added to the first as suppressed. */
    static RuntimeException attempt(RuntimeException failure, Runnable step) {
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
