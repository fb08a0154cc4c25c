package io.reactorbpf.perf;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.internal.sys.Epoll;
import io.reactorbpf.core.internal.sys.EventFd;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link org.reactivestreams.Subscriber} that writes what it receives to a {@code BPF_MAP_TYPE_USER_RINGBUF} map,
 * one record per value, for a BPF program that drains it with {@code bpf_user_ringbuf_drain}. Subscribe it to any
 * {@code Flux}: {@code values.subscribe(UserRingBufSink.of(map, 16, encoder))}.
 *
 * <p>Backpressure: demand is the free space in the ring. The sink requests as many values as records of
 * {@code maxRecordSize} bytes fit in the space the program has drained, and no more; with the ring full it waits
 * for the kernel's wakeup after a drain (epoll on the map, no spinning) before it requests again. Nothing is
 * queued beyond what fits in the ring.
 *
 * <p>Threading: one writer thread, named {@code user-ringbuf-MAP}, owns the mapping from subscribe to release:
 * values received on the upstream's thread are handed to it, and it encodes them into ring memory, in order,
 * publishing each batch with one release write of {@code producer_pos}. The encoder runs on that thread.
 * {@link #dispose()} may be called from any thread.
 *
 * <p>Ending: {@link #done()} completes once the upstream completed and every value was written to the ring (the
 * program may not have drained them yet), and fails with the upstream's error, an encoder's error, or
 * {@link PerfBufferClosedException} when the map is closed under the sink; then the upstream is cancelled. After
 * {@link #dispose()} nothing more is written. The mapping is released before {@code done()} signals. A map serves
 * one sink at a time; a sink is subscribed once.
 *
 * @param <T> the type of the values written
 * @since 0.1
 */
public final class UserRingBufSink<T> implements CoreSubscriber<T>, Disposable {

    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;
    private static final long WAKEUP = 0;
    private static final long RING = 1;

    private final UserRingBuf ring;
    private final RecordEncoder<T> encoder;
    private final int maxRecordSize;
    private final long slot;
    private final Queue<T> received;
    private final EventFd wakeup;
    private final Epoll epoll;
    private final AutoCloseable mapWatch;
    private final Thread writer;
    private final AtomicInteger state = new AtomicInteger(NEW);
    private final AtomicLong written = new AtomicLong();
    private final Sinks.Empty<Void> done = Sinks.empty();
    private volatile Subscription upstream;
    private volatile boolean upstreamDone;
    private volatile Throwable upstreamError;
    private volatile boolean disposed;
    private volatile String closedBecause;
    /** Set by the writer before it waits, so a value or a signal arriving then wakes it. */
    private volatile boolean parked;
    /** Writer thread only: values requested and not yet written. */
    private long outstanding;

    private UserRingBufSink(BpfMap map, int maxRecordSize, RecordEncoder<T> encoder) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.maxRecordSize = maxRecordSize;
        this.ring = UserRingBuf.open(map);
        EventFd wake = null;
        Epoll poll = null;
        try {
            this.slot = UserRingBuf.recordSpace(maxRecordSize);
            if (maxRecordSize <= 0 || slot > ring.size()) {
                throw new IllegalArgumentException("records of " + maxRecordSize + " bytes cannot go through user"
                        + " ring buffer '" + map.name() + "' of " + ring.size() + " bytes: give a size from 1 to "
                        + (ring.size() - UserRingBuf.HEADER_SIZE));
            }
            this.received = Queues.<T>get((int) Math.min(Integer.MAX_VALUE, ring.size() / slot)).get();
            wake = EventFd.open(map.name());
            poll = Epoll.open(2, "user ring buffer " + map.name());
            // edge-triggered: the ring reports space while any byte is free; the writer wants the drains
            poll.add(ring.fd, Epoll.OUT | Epoll.ET, RING);
            poll.add(wake.fd(), Epoll.IN, WAKEUP);
            this.wakeup = wake;
            this.epoll = poll;
            this.mapWatch = map.onClose(() -> {
                closedBecause = "map '" + map.name() + "' was closed";
                signal();
            });
        } catch (RuntimeException | Error e) {
            Unwind.after(e, poll, wake, ring);
            throw e;
        }
        this.writer = new Thread(this::write, "user-ringbuf-" + map.name());
        writer.setDaemon(true);
    }

    /**
     * A sink writing to {@code map}, each value as one record of at most {@code maxRecordSize} bytes written by
     * {@code encoder}. Maps the ring now, so a wrong map or a second writer fails here.
     *
     * @param map the USER_RINGBUF a program drains; still owned by the caller, and closing it ends the sink
     * @param maxRecordSize the most bytes {@code encoder} writes for one value; demand counts records of this size
     * @param encoder writes each value into ring memory, on the sink's writer thread
     * @param <T> the type of the values written
     * @return the sink, not yet subscribed; it owns its mapping and writer thread until {@link #done()} signals
     * @throws IllegalArgumentException if {@code map} is not a USER_RINGBUF or a record cannot fit in it
     * @throws IllegalStateException if another sink writes the map
     * @throws io.reactorbpf.core.sys.SyscallException when the mmap, epoll or eventfd calls fail
     */
    public static <T> UserRingBufSink<T> of(BpfMap map, int maxRecordSize, RecordEncoder<T> encoder) {
        return new UserRingBufSink<>(map, maxRecordSize, encoder);
    }

    /**
     * Completes when every value is written after the upstream completed; fails as the class says.
     *
     * @return a Mono that signals once, after the mapping is released
     */
    public Mono<Void> done() {
        return done.asMono();
    }

    /**
     * How many values were written to the ring so far. Any thread.
     *
     * @return the count of values published with producer_pos
     */
    public long written() {
        return written.get();
    }

    @Override
    public void onSubscribe(Subscription s) {
        Objects.requireNonNull(s, "subscription");
        if (!state.compareAndSet(NEW, RUNNING)) {
            s.cancel();
            if (state.get() == RUNNING) {
                Operators.reportSubscriptionSet();
            }
            return;
        }
        upstream = s;
        writer.start();
    }

    @Override
    public void onNext(T value) {
        Objects.requireNonNull(value, "value");
        if (upstreamDone || disposed) {
            Operators.onNextDropped(value, currentContext());
            return;
        }
        if (!received.offer(value)) {
            // more than was requested: the upstream broke the demand it was given
            upstreamError = Operators.onOperatorError(upstream, new IllegalStateException("the upstream of the user"
                    + " ring buffer sink on map '" + ring.name + "' sent more values than were requested"), value,
                    currentContext());
            upstreamDone = true;
        }
        signal();
    }

    @Override
    public void onError(Throwable t) {
        upstreamError = Objects.requireNonNull(t, "error");
        upstreamDone = true;
        signal();
    }

    @Override
    public void onComplete() {
        upstreamDone = true;
        signal();
    }

    /** Stops writing: the upstream is cancelled and the ring released; {@link #done()} completes. Any thread. */
    @Override
    public void dispose() {
        disposed = true;
        if (state.compareAndSet(NEW, DONE)) {
            release(null);
            return;
        }
        signal();
    }

    @Override
    public boolean isDisposed() {
        return disposed || state.get() == DONE;
    }

    private void signal() {
        if (parked) {
            wakeup.signal();
        }
    }

    /** The writer thread: encodes what arrived, requests what fits, waits for drains. */
    private void write() {
        Throwable error = null;
        try {
            while (true) {
                int batch = 0;
                T value;
                while (!disposed && closedBecause == null && (value = received.poll()) != null) {
                    if (!ring.append(encoder, value, maxRecordSize)) {
                        throw new IllegalStateException("user ring buffer '" + ring.name + "' had no room for a"
                                + " value that was requested for the room it had");
                    }
                    batch++;
                }
                if (batch > 0) {
                    ring.publish();
                    outstanding -= batch;
                    written.addAndGet(batch);
                }
                if (closedBecause != null) {
                    error = new PerfBufferClosedException(closedBecause + " under the user ring buffer sink writing"
                            + " to it; dispose the sink or complete its Flux before closing the map");
                    break;
                }
                if (disposed || upstreamDone && received.isEmpty()) {
                    error = disposed ? null : upstreamError;
                    break;
                }
                long fits = ring.free() / slot - outstanding;
                if (fits > 0 && !upstreamDone) {
                    outstanding += fits;
                    upstream.request(fits);
                    continue;
                }
                parked = true;
                if (received.isEmpty() && !upstreamDone && !disposed && closedBecause == null) {
                    await();
                }
                parked = false;
            }
        } catch (RuntimeException | Error e) {
            error = e;
        }
        if (error != null || disposed || closedBecause != null) {
            upstream.cancel();
        }
        release(error);
    }

    private void await() {
        int ready = epoll.await(-1);
        for (int i = 0; i < ready; i++) {
            if (epoll.data(i) == WAKEUP) {
                wakeup.drain();
            }
        }
    }

    /** Releases the ring once, then signals {@link #done()}. */
    private void release(Throwable error) {
        state.set(DONE);
        Throwable failure = error;
        for (AutoCloseable c : new AutoCloseable[] {mapWatch, epoll, wakeup, ring}) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            done.tryEmitError(failure);
        } else {
            done.tryEmitEmpty();
        }
    }

    @Override
    public String toString() {
        return "UserRingBufSink[map=" + ring.name + ", maxRecordSize=" + maxRecordSize + "]";
    }
}
