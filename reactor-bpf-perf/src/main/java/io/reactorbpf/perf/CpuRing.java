package io.reactorbpf.perf;

import io.reactorbpf.core.internal.sys.Epoll;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.LockedMemoryException;
import io.reactorbpf.core.internal.sys.MappedMemory;
import io.reactorbpf.core.internal.sys.PerfEvent;
import io.reactorbpf.core.sys.PerfEventAttr;
import io.reactorbpf.core.sys.SyscallException;

/**
 * One CPU's perf event, its mapping and the reader over it, stored in map slot {@code key}; with
 * {@link Wakeup.Adaptive}, also a second event (at most {@link PerfBufferOptions#SINGLE_WAKEUP_MAX_PAGES} pages)
 * that wakes the reader on every sample, and the choice of which of the two the slot points at
 * ({@link AdaptiveWakeup}). Both rings add to one set of counters.
 * Owned by a {@link RingSet}; {@link #close()} unmaps the rings and then closes the events, once. Not
 * thread-safe.
 */
final class CpuRing implements AutoCloseable {

    final int cpu;
    final int key;
    /** The event whose wakeups follow the options (batched, for adaptive wakeups). */
    final FileDescriptor event;
    final MappedMemory mapping;
    final PerfRing ring;
    private final Half main;
    /** Adaptive wakeups only, else null: the event that wakes on every sample, and the choice between the two. */
    private final Half single;
    private final AdaptiveWakeup wakeup;

    /** One perf event, its mapping and its reader. */
    private record Half(FileDescriptor event, MappedMemory mapping, PerfRing ring) implements AutoCloseable {
        @Override
        public void close() {
            try {
                mapping.close();
            } finally {
                event.close();
            }
        }
    }

    private CpuRing(int cpu, int key, Half main, Half single, AdaptiveWakeup wakeup) {
        this.cpu = cpu;
        this.key = key;
        this.event = main.event;
        this.mapping = main.mapping;
        this.ring = main.ring;
        this.main = main;
        this.single = single;
        this.wakeup = wakeup;
    }

    /** Opens, maps and enables a BPF output event on {@code cpu}; on failure releases what it opened. */
    static CpuRing open(PerfEventAttr attr, int cpu, int key, int pages, int pageSize) {
        return new CpuRing(cpu, key, half(attr, cpu, pages, pageSize, new PerfRingCounters()), null, null);
    }

    /** Opens both events of an adaptive CPU; the slot starts on the one that wakes per sample. */
    static CpuRing openAdaptive(PerfBufferOptions options, int cpu, int key, int pageSize) {
        PerfRingCounters counters = new PerfRingCounters();
        Half main = half(options.attr(), cpu, options.pages(), pageSize, counters);
        try {
            Half single = half(options.singleWakeupAttr(), cpu,
                    Math.min(options.pages(), PerfBufferOptions.SINGLE_WAKEUP_MAX_PAGES), pageSize, counters);
            return new CpuRing(cpu, key, main, single, new AdaptiveWakeup(System.nanoTime()));
        } catch (RuntimeException | Error e) {
            Unwind.after(e, main);
            throw e;
        }
    }

    private static Half half(PerfEventAttr attr, int cpu, int pages, int pageSize, PerfRingCounters counters) {
        FileDescriptor event = PerfEvent.open(attr, -1, cpu, -1);
        MappedMemory mapping = null;
        try {
            // an overwritable ring is mapped read-only: the kernel then never waits for data_tail
            long bytes = (long) (pages + 1) * pageSize;
            try {
                mapping = MappedMemory.map(event, bytes,
                        MappedMemory.PROT_READ | (attr.isWriteBackward() ? 0 : MappedMemory.PROT_WRITE), 0);
            } catch (SyscallException e) {
                throw LockedMemoryException.of(e, bytes, "the perf ring of CPU " + cpu + " (" + pages
                        + " pages and the header page; PerfBufferOptions.pages sets the size)").orElseThrow(() -> e);
            }
            PerfRing ring = new PerfRing(mapping.buffer(), cpu, pageSize, counters);
            PerfEvent.enable(event);
            return new Half(event, mapping, ring);
        } catch (RuntimeException | Error e) {
            Unwind.after(e, mapping, event);
            throw e;
        }
    }

    /** The event the map slot should point at now. */
    FileDescriptor slotEvent() {
        return single == null || wakeup.batched() ? event : single.event;
    }

    /** Whether this CPU's wakeups adapt to its rate. */
    boolean adaptive() {
        return single != null;
    }

    /** Adaptive only: whether the slot points at the batched event now. */
    boolean batched() {
        return single != null && wakeup.batched();
    }

    /** Whether the reader must peek at this CPU's rings each latency bound (not while it wakes per sample). */
    boolean needsPeeks(long now) {
        return single == null || wakeup.needsPeeks(now);
    }

    /** Adds every event of this CPU to {@code epoll}, with the CPU as the event data. */
    void register(Epoll epoll) {
        epoll.add(event, Epoll.IN, cpu);
        if (single != null) {
            epoll.add(single.event, Epoll.IN, cpu);
        }
    }

    /** Reads the rings with {@code visitor}, the one the slot left first, since its records are older. */
    int read(RecordVisitor visitor) {
        if (single == null) {
            return ring.read(visitor);
        }
        PerfRing first = wakeup.batched() ? single.ring : ring;
        PerfRing second = wakeup.batched() ? ring : single.ring;
        return first.read(visitor) + second.read(visitor);
    }

    /**
     * Adaptive only: counts {@code taken} samples read at {@code now}; true when the slot should point at the
     * other event ({@link #slotEvent()}) from now on. The slot moves only to a ring the reader has emptied: records
     * left there (demand ran out) are older than those of the ring the slot points at, and {@link #read} could not
     * hand them out first once both rings hold records written after the other's. And it leaves a ring only once
     * the kernel owes it no LOST record ({@link PerfRing#mayOweLost()}): that record comes only with the ring's next
     * sample, which would never come once the slot points elsewhere.
     */
    boolean observe(int taken, long now, long boundNanos) {
        if (single == null) {
            return false;
        }
        PerfRing current = wakeup.batched() ? ring : single.ring;
        PerfRing other = wakeup.batched() ? single.ring : ring;
        return wakeup.observe(taken, now, boundNanos, other.isEmpty() && !current.mayOweLost());
    }

    /** Whether no record waits in either ring: a memory peek. */
    boolean isEmpty() {
        return ring.isEmpty() && (single == null || single.ring.isEmpty());
    }

    /** Consumes what the rings hold without handing it out, counted as discarded. */
    void discard() {
        ring.discard();
        if (single != null) {
            single.ring.discard();
        }
    }

    /** Disables every event of this CPU: what the rings hold stays. */
    void disable() {
        PerfEvent.disable(event);
        if (single != null) {
            PerfEvent.disable(single.event);
        }
    }

    @Override
    public void close() {
        try {
            main.close();
        } finally {
            if (single != null) {
                single.close();
            }
        }
    }
}
