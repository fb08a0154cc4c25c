package io.reactorbpf.perf;

import io.reactorbpf.core.sys.Epoll;
import io.reactorbpf.core.sys.EventFd;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * One subscription to a {@link PerfFlux}: the poller thread's loop and the {@link org.reactivestreams.Subscription}
 * the subscriber drives it with.
 *
 * <p>Threading: {@link #request} and {@link #cancel} run on any thread; they only add demand or set a flag
 * and then wake the poller through an eventfd (once per transition from no demand, so wakeups coalesce).
 * Everything else, the rings' memory included, belongs to the poller thread, which also releases the buffer
 * (clearing map slots, unmapping, closing descriptors) after it has left epoll_wait for good.
 */
final class PerfPoller<T> implements org.reactivestreams.Subscription, Runnable, RecordHandler, RawRecordHandler {

    @SuppressWarnings("rawtypes")
    private static final AtomicLongFieldUpdater<PerfPoller> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(PerfPoller.class, "requested");

    private final CoreSubscriber<? super T> actual;
    private final PerfBufferSpec spec;
    private final PerfFlux.Emit<T> emit;
    private final EventFd wakeup;
    private final Epoll idle;
    private PerfBuffer buffer;

    private volatile long requested;
    private volatile boolean cancelled;

    /** Poller thread only: elements emitted in the current drain pass. */
    private long emitted;

    private PerfPoller(CoreSubscriber<? super T> actual, PerfBufferSpec spec, PerfFlux.Emit<T> emit, EventFd wakeup,
                       Epoll idle) {
        this.actual = actual;
        this.spec = spec;
        this.emit = emit;
        this.wakeup = wakeup;
        this.idle = idle;
    }

    /**
     * Opens the wakeup eventfd, the demand epoll and the buffer on the calling thread; the poller thread that
     * {@link #run()} becomes takes them over (Thread.start orders these writes before its first read).
     */
    static <T> PerfPoller<T> open(CoreSubscriber<? super T> actual, PerfBufferSpec spec, PerfFlux.Emit<T> emit) {
        if (spec.isOverwritable()) {
            throw new IllegalStateException("overwritable rings of map '" + spec.mapName() + "' keep the newest"
                    + " records for snapshots and are never drained: read them with open(handler).snapshot()");
        }
        EventFd wakeup = EventFd.open(spec.mapName());
        Epoll idle = null;
        try {
            idle = Epoll.open(1, spec.mapName() + " demand");
            idle.add(wakeup.fd(), Epoll.IN, PerfBuffer.WAKEUP);
            PerfPoller<T> poller = new PerfPoller<>(actual, spec, emit, wakeup, idle);
            poller.buffer = PerfBuffer.open(spec, emit.raw() ? null : poller, emit.raw() ? poller : null, wakeup);
            return poller;
        } catch (RuntimeException | Error e) {
            if (idle != null) {
                idle.close();
            }
            wakeup.close();
            throw e;
        }
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n) && Operators.addCap(REQUESTED, this, n) == 0) {
            wakeup.signal();
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        wakeup.signal();
    }

    @Override
    public void run() {
        Throwable error = null;
        boolean finished = false;
        try {
            int peekMillis = peekMillis();
            boolean finishing = false;
            while (!cancelled) {
                if (!finishing && buffer.finishRequested()) {
                    // complete(): no new records; what the rings hold is still handed out, as demand allows
                    finishing = true;
                    buffer.pause();
                    buffer.disableEvents();
                }
                if (finishing && !buffer.hasData()) {
                    finished = true;
                    break;
                }
                long r = requested;
                if (r == 0) {
                    // no demand: leave the rings alone (the kernel counts what does not fit) until request() wakes us
                    idle.await(-1);
                    wakeup.drain();
                    continue;
                }
                buffer.followCpusEverySecond();
                emitted = 0;
                int handed = buffer.drain(r);
                if (emitted > 0) {
                    Operators.produced(REQUESTED, this, emitted);
                }
                if (handed < r && !finishing) {
                    // the rings gave all they held: wait for a wakeup or the timed peek, not another pass
                    buffer.await(peekMillis);
                }
            }
        } catch (Throwable t) {
            error = t;
        } finally {
            error = release(buffer::close, error);
            error = release(idle::close, error);
            wakeup.close();
        }
        if (error != null) {
            if (cancelled) {
                Operators.onErrorDropped(error, actual.currentContext());
            } else {
                actual.onError(error);
            }
        } else if (finished) {
            actual.onComplete();
        }
    }

    /** The timed peek interval: the latency bound rounded up to whole milliseconds, or -1 for none. */
    private int peekMillis() {
        long nanos = spec.latencyBound().toNanos();
        return nanos == 0 ? -1 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000));
    }

    private static Throwable release(Runnable step, Throwable error) {
        try {
            step.run();
        } catch (RuntimeException e) {
            if (error == null) {
                return e;
            }
            error.addSuppressed(e);
        }
        return error;
    }

    @Override
    public void onSample(int cpu, ByteBuffer data, int offset, int length) {
        emit(emit.sample(cpu, data, offset, length));
    }

    @Override
    public void onLost(int cpu, long lost) {
        emit(emit.lost(cpu, lost));
    }

    @Override
    public void onRecord(int cpu, int type, int misc, ByteBuffer record, int offset, int length) {
        emit(emit.record(cpu, type, misc, record, offset, length));
    }

    private void emit(T value) {
        if (value != null && !cancelled) {
            emitted++;
            actual.onNext(value);
        }
    }
}
