package io.reactorbpf.perf;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.internal.sys.Epoll;
import io.reactorbpf.core.internal.sys.EventFd;

import java.util.List;

/**
 * The ring buffer of one {@link RingBufStream} subscription and what serves it: the mapped RINGBUF map, the
 * epoll set that watches it and the eventfd that interrupts a wait. A ring buffer has no map slots, so output
 * cannot be paused: {@link #pause()} does nothing, and completing a stream hands out what producers had reserved
 * when it was asked, then completes.
 *
 * <p>Threading and ownership as for {@link StreamRings}: {@link #close()} unmaps and closes everything once,
 * on the poller thread.
 */
final class RingBufSet implements StreamRings {

    private static final long WAKEUP = -1;
    private static final long RING = 0;

    private final MappedRingBuf mapped;
    private final RingBufOptions options;
    private final EventFd wakeup;
    private final Epoll epoll;
    /** Watches only the eventfd: where the poller waits while it must not read (no demand). */
    private final Epoll signals;
    private final PerfRings published;
    /** The producer position when output was stopped; -1 while the stream runs. */
    private long stopAt = -1;
    private boolean closed;

    private RingBufSet(MappedRingBuf mapped, RingBufOptions options, EventFd wakeup, Epoll epoll, Epoll signals) {
        this.mapped = mapped;
        this.options = options;
        this.wakeup = wakeup;
        this.epoll = epoll;
        this.signals = signals;
        this.published = new PerfRings(mapped.name, List.of(new PerfRings.Ring(RingBuf.NO_CPU, 0, mapped.ring.counters())));
    }

    /**
     * Maps {@code map} and returns the set owned by the calling thread.
     *
     * @throws IllegalArgumentException if {@code map} is not a RINGBUF
     * @throws IllegalStateException if another reader holds the map
     */
    static RingBufSet open(BpfMap map, RingBufOptions options) {
        MappedRingBuf mapped = MappedRingBuf.open(map);
        EventFd wakeup = null;
        Epoll epoll = null;
        Epoll signals = null;
        try {
            wakeup = EventFd.open(map.name());
            epoll = Epoll.open(2, "ring buffer " + map.name());
            epoll.add(mapped.fd, Epoll.IN, RING);
            epoll.add(wakeup.fd(), Epoll.IN, WAKEUP);
            signals = Epoll.open(1, "ring buffer " + map.name() + " signals");
            signals.add(wakeup.fd(), Epoll.IN, WAKEUP);
            RingBufSet set = new RingBufSet(mapped, options, wakeup, epoll, signals);
            options.listener().opened(set.published);
            return set;
        } catch (RuntimeException | Error e) {
            Unwind.after(e, signals, epoll, wakeup, mapped);
            throw e;
        }
    }

    @Override
    public String mapName() {
        return mapped.name;
    }

    @Override
    public int peekMillis() {
        return options.peekMillis();
    }

    /** Nothing to hand over: a ring buffer is read only in the poller's passes. */
    @Override
    public void adopt(StreamPoller<?> poller) {
    }

    @Override
    public void signal() {
        wakeup.signal();
    }

    @Override
    public void claimReleasing() {
        mapped.claimReleasing();
    }

    @Override
    public void releaseMap() {
        mapped.releaseMap();
    }

    @Override
    public boolean isPaused() {
        return false;
    }

    /** Nothing: producers write into the ring whatever the reader does. */
    @Override
    public void pause() {
    }

    @Override
    public void resume() {
    }

    /** Marks how far the ring is read before the stream completes: what producers had reserved until now. */
    @Override
    public void stopOutput() {
        if (stopAt < 0) {
            stopAt = mapped.ring.producerPos();
        }
    }

    @Override
    public boolean hasData() {
        return (stopAt >= 0 ? mapped.ring.consumerPos() < stopAt : !mapped.ring.isEmpty()) || mapped.ring.lossPending();
    }

    @Override
    public void awaitSignal(int timeoutMillis) {
        if (signals.await(timeoutMillis) > 0) {
            wakeup.drain();
        }
    }

    @Override
    public void await(int timeoutMillis) {
        int ready = epoll.await(timeoutMillis);
        for (int i = 0; i < ready; i++) {
            if (epoll.data(i) == WAKEUP) {
                wakeup.drain();
            }
        }
    }

    @Override
    public int readFair(StreamPoller<?> reader) {
        return mapped.ring.read(reader);
    }

    @Override
    public PerfRings rings() {
        return published;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        failure = RingSet.attempt(failure, signals::close);
        failure = RingSet.attempt(failure, epoll::close);
        failure = RingSet.attempt(failure, wakeup::close);
        failure = RingSet.attempt(failure, mapped::close);
        failure = RingSet.attempt(failure, () -> options.listener().closed(published));
        if (failure != null) {
            throw failure;
        }
    }
}
