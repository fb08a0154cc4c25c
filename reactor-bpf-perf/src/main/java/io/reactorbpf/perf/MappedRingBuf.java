package io.reactorbpf.perf;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.map.LossCounter;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.MapInfo;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.internal.sys.MappedMemory;

/**
 * One {@code RINGBUF} map mapped for reading: the consumer page read-write, the producer page and the
 * double-mapped data area read-only, the {@link RingBuf} over them, a descriptor of the map of its own (what
 * epoll watches; the kernel wakes it when producers commit) and the claim on the map (one consumer position, so
 * one reader). {@link #close()} unmaps and closes them once; the reading thread calls it after it stopped
 * reading. Not thread-safe.
 */
final class MappedRingBuf implements AutoCloseable {

    /** {@code BPF_F_RB_OVERWRITE} (Linux 6.19). */
    private static final int RB_OVERWRITE = 1 << 19;

    final String name;
    final FileDescriptor fd;
    final RingBuf ring;
    private final RingBufMapping mapping;
    /** The programs' loss counters, mapped read-only; null when they count none. */
    private final MappedMemory losses;
    private boolean closed;

    private MappedRingBuf(RingBufMapping mapping, MappedMemory losses, RingBuf ring) {
        this.name = mapping.name;
        this.fd = mapping.fd;
        this.mapping = mapping;
        this.losses = losses;
        this.ring = ring;
    }

    /**
     * Maps {@code map} for reading, and the counter of its losses when its programs keep one
     * ({@link BpfMap#lossCounter()}).
     *
     * @throws IllegalArgumentException if {@code map} is not a RINGBUF, naming the reader it needs
     * @throws IllegalStateException if another reader holds the map
     */
    static MappedRingBuf open(BpfMap map) {
        MapInfo info = MapInfo.of(map.fd());
        if (info.type() != MapType.RINGBUF.value()) {
            throw new IllegalArgumentException("map '" + map.name() + "' is a " + info.mapType() + ", not a RINGBUF"
                    + (info.type() == MapType.PERF_EVENT_ARRAY.value()
                    ? "; read a perf event array with PerfBuffer or PerfStream"
                    : info.type() == MapType.USER_RINGBUF.value()
                    ? "; a USER_RINGBUF is written by user space and drained by the program, not read"
                    : "; a ring buffer reader reads the map that bpf_ringbuf_output() and bpf_ringbuf_reserve() write to"));
        }
        if ((info.mapFlags() & RB_OVERWRITE) != 0) {
            // the producer reclaims records in that mode, which this reader's consumer position does not follow
            throw new IllegalArgumentException("map '" + map.name() + "' is a ring buffer in overwrite mode"
                    + " (BPF_F_RB_OVERWRITE); this reader reads ring buffers whose reserves fail when they are full");
        }
        RingBufMapping mapping = RingBufMapping.map(map, info.maxEntries(), MapClaims.claim(info.id(), map.name()),
                false, "ring buffer");
        MappedMemory losses = null;
        try {
            RingBuf ring = new RingBuf(mapping.consumer(), mapping.producer(), mapping.pageSize, mapping.size,
                    map.name());
            if (map.lossCounter().isPresent()) {
                LossCounter counter = map.lossCounter().get();
                long length = ((counter.counters().valueSize() + mapping.pageSize - 1L) / mapping.pageSize)
                        * mapping.pageSize;
                losses = MappedMemory.map(counter.counters().fd(), length, MappedMemory.PROT_READ, 0);
                ring.countLosses(losses.buffer(), counter.offset());
            }
            return new MappedRingBuf(mapping, losses, ring);
        } catch (RuntimeException | Error e) {
            Unwind.after(e, losses, mapping);
            throw e;
        }
    }

    /** Gives the map up before the mappings are released: the ring surrendered, the claim released. */
    void releaseMap() {
        ring.surrender();
        mapping.claim.release();
    }

    /** Says the reader is stopping, so a new claim on the map waits for it. Any thread. */
    void claimReleasing() {
        mapping.claim.releasing();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        if (losses != null) {
            failure = RingSet.attempt(failure, losses::close);
        }
        failure = RingSet.attempt(failure, mapping::close);
        if (failure != null) {
            throw failure;
        }
    }
}
