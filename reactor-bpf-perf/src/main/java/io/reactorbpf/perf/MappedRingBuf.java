package io.reactorbpf.perf;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.map.LossCounter;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.Kernel;
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
    private final MappedMemory consumer;
    private final MappedMemory producer;
    /** The programs' loss counters, mapped read-only; null when they count none. */
    private final MappedMemory losses;
    private final MapClaims.Claim claim;
    private boolean closed;

    private MappedRingBuf(String name, FileDescriptor fd, MappedMemory consumer, MappedMemory producer,
                          MappedMemory losses, RingBuf ring, MapClaims.Claim claim) {
        this.name = name;
        this.fd = fd;
        this.consumer = consumer;
        this.producer = producer;
        this.losses = losses;
        this.ring = ring;
        this.claim = claim;
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
        MapClaims.Claim claim = MapClaims.claim(info.id(), map.name());
        FileDescriptor fd = null;
        MappedMemory consumer = null;
        MappedMemory producer = null;
        MappedMemory losses = null;
        try {
            fd = map.fd().duplicate("ring buffer " + map.name());
            int page = Kernel.pageSize();
            int size = info.maxEntries();
            consumer = MappedMemory.map(fd, page, MappedMemory.PROT_READ | MappedMemory.PROT_WRITE, 0);
            // the kernel maps the data area twice after the producer page, so no record wraps for the reader
            producer = MappedMemory.map(fd, page + 2L * size, MappedMemory.PROT_READ, page);
            RingBuf ring = new RingBuf(consumer.buffer(), producer.buffer(), page, size, map.name());
            if (map.lossCounter().isPresent()) {
                LossCounter counter = map.lossCounter().get();
                long length = ((counter.counters().valueSize() + page - 1L) / page) * page;
                losses = MappedMemory.map(counter.counters().fd(), length, MappedMemory.PROT_READ, 0);
                ring.countLosses(losses.buffer(), counter.offset());
            }
            return new MappedRingBuf(map.name(), fd, consumer, producer, losses, ring, claim);
        } catch (RuntimeException | Error e) {
            claim.release();
            Unwind.after(e, losses, producer, consumer, fd);
            throw e;
        }
    }

    /** Gives the map up before the mappings are released: the ring surrendered, the claim released. */
    void releaseMap() {
        ring.surrender();
        claim.release();
    }

    /** Says the reader is stopping, so a new claim on the map waits for it. Any thread. */
    void claimReleasing() {
        claim.releasing();
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
        failure = RingSet.attempt(failure, producer::close);
        failure = RingSet.attempt(failure, consumer::close);
        failure = RingSet.attempt(failure, fd::close);
        claim.release();
        if (failure != null) {
            throw failure;
        }
    }
}
