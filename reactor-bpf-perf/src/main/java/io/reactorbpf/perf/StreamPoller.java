package io.reactorbpf.perf;

import io.reactorbpf.core.map.BpfMap;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * One subscription to a {@link PerfStream} or a {@link RingBufStream}: the poller thread that owns its
 * {@link StreamRings}, and the {@link Subscription} the subscriber drives it with. The rings call back the visit
 * method of their kind: perf rings offer whole records, which the emitter turns into elements; ring buffers
 * offer samples, which the decoder turns into elements.
 *
 * <p>Threading: {@link #request}, {@link #cancel} and {@link #signal} run on any thread; they add demand or set a
 * signal bit and wake the poller through the set's eventfd. Everything else, ring memory included, belongs to the
 * poller thread, which applies the signals between records and releases the rings after it has left
 * {@code epoll_wait} for good. The poller checks the signals before every callback, so once {@link #cancel()}
 * returns no decoder or {@code onNext} call starts; the one in progress, if any, ends.
 */
final class StreamPoller<T> implements Subscription, Runnable, RecordVisitor, SampleVisitor {

    /** The subscriber cancelled: stop at once, release the rings, signal nothing. */
    static final int CANCEL = 1;
    /** {@link PerfStream#complete()}: stop output, hand out what the rings hold, then complete. */
    static final int FINISH = 2;
    /** The map was closed: stop at once, release the rings, then signal {@link PerfBufferClosedException}. */
    static final int CLOSE = 4;
    /** The wanted pause state changed: the poller compares the rings with {@link LiveSubscription#pauseWanted()}. */
    static final int PAUSE = 8;
    /** The signals that stop every callback before it starts. */
    private static final int STOP = CANCEL | CLOSE;

    @SuppressWarnings("rawtypes")
    private static final AtomicLongFieldUpdater<StreamPoller> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(StreamPoller.class, "requested");
    @SuppressWarnings("rawtypes")
    private static final AtomicIntegerFieldUpdater<StreamPoller> SIGNALS =
            AtomicIntegerFieldUpdater.newUpdater(StreamPoller.class, "signals");

    private final LiveSubscription stream;
    private final CoreSubscriber<? super T> actual;
    private final StreamRings rings;
    /** Makes elements of perf records; null for ring buffers. */
    private final Emitter<T> emitter;
    /** Makes elements of ring buffer samples; null for perf rings. */
    private final RecordDecoder<T> decoder;
    /** Makes elements of ring buffer losses; null when they are counted, not emitted. */
    private final LostDecoder<T> lostDecoder;
    private final Thread thread;
    private volatile long requested;
    private volatile int signals;
    /** Why the map was closed under the stream, for the error the subscriber gets. */
    private volatile String closedBecause;
    private AutoCloseable mapWatch;

    /** Poller thread only: demand at the start of the current pass, and elements emitted in it. */
    private long budget;
    private long emitted;

    private StreamPoller(LiveSubscription stream, CoreSubscriber<? super T> actual, StreamRings rings,
                         Emitter<T> emitter, RecordDecoder<T> decoder, LostDecoder<T> lostDecoder, String threadName) {
        this.stream = stream;
        this.actual = actual;
        this.rings = rings;
        this.emitter = emitter;
        this.decoder = decoder;
        this.lostDecoder = lostDecoder;
        this.thread = new Thread(this, threadName);
        thread.setDaemon(true);
        rings.adopt(this);
    }

    /** A poller for perf rings the calling thread opened; it takes them over when {@link #start} runs. */
    static <T> StreamPoller<T> perf(LiveSubscription stream, CoreSubscriber<? super T> actual, RingSet rings,
                                    Emitter<T> emitter) {
        return new StreamPoller<>(stream, actual, rings, emitter, null, null, "perf-" + rings.mapName());
    }

    /**
     * A poller for ring buffers the calling thread mapped; it takes them over when {@link #start} runs. Losses
     * become elements through {@code lost}, or are only counted when it is null.
     */
    static <T> StreamPoller<T> ringBuf(LiveSubscription stream, CoreSubscriber<? super T> actual, RingBufSet rings,
                                       RecordDecoder<T> decoder, LostDecoder<T> lost) {
        return new StreamPoller<>(stream, actual, rings, null, decoder, lost, "ringbuf-" + rings.mapName());
    }

    /**
     * Watches {@code map} for close, hands the subscriber its subscription, then starts the poller thread,
     * which owns the rings from then on (Thread.start orders the writes made here before its first read).
     */
    void start(BpfMap map) {
        // the rings opened paused or not as the stream wanted then; a change since is applied by the poller
        SIGNALS.getAndUpdate(this, s -> s | PAUSE);
        mapWatch = map.onClose(() -> {
            closedBecause = "map '" + map.name() + "' was closed";
            stop(CLOSE);
        });
        try {
            actual.onSubscribe(this);
        } finally {
            // started whatever onSubscribe did, so the rings always have an owner that releases them
            thread.start();
        }
    }

    /** Posts {@code bit} ({@link #FINISH} or {@link #PAUSE}) for the poller to apply before its next record. */
    void signal(int bit) {
        SIGNALS.getAndUpdate(this, s -> s | bit);
        rings.signal();
    }

    boolean isPaused() {
        return rings.isPaused();
    }

    PerfRings rings() {
        return rings.rings();
    }

    @Override
    public void request(long n) {
        if (Operators.validate(n) && Operators.addCap(REQUESTED, this, n) == 0) {
            rings.signal();
        }
    }

    @Override
    public void cancel() {
        stop(CANCEL);
    }

    /**
     * Stops the poller before its next callback. The map is given up at once when this runs on the poller thread
     * (a cancel from onNext), so a subscriber may take it again right away; otherwise a new claim waits for the
     * poller, which gives it up as soon as its current callback returns.
     */
    private void stop(int bit) {
        int before = SIGNALS.getAndUpdate(this, s -> s | bit);
        if ((before & STOP) != 0) {
            return;
        }
        if (Thread.currentThread() == thread) {
            rings.releaseMap();
        } else {
            rings.claimReleasing();
            rings.signal();
        }
    }

    @Override
    public void run() {
        Throwable error = null;
        boolean completed = false;
        try {
            completed = serve();
        } catch (Throwable t) {
            error = t;
        } finally {
            error = release(error);
        }
        int s = signals;
        if ((s & CANCEL) != 0) {
            if (error != null) {
                Operators.onErrorDropped(error, actual.currentContext());
            }
        } else if ((s & CLOSE) != 0) {
            PerfBufferClosedException closed = new PerfBufferClosedException("stream of map '"
                    + rings.mapName() + "' ended: " + closedBecause + " while the stream was live; complete the"
                    + " stream before closing its object, or open the object with Flux.using");
            if (error != null) {
                closed.addSuppressed(error);
            }
            actual.onError(closed);
        } else if (error != null) {
            actual.onError(error);
        } else if (completed) {
            actual.onComplete();
        }
    }

    /** The poller's loop. Returns true when the stream finished ({@link #FINISH}), false when it was stopped. */
    private boolean serve() {
        boolean finishing = false;
        while (true) {
            int s = signals;
            if ((s & STOP) != 0) {
                return false;
            }
            if ((s & PAUSE) != 0) {
                SIGNALS.getAndUpdate(this, v -> v & ~PAUSE);
                if (finishing) {
                    // finish stopped output for good; resume must not point the slots at the rings again
                } else if (stream.pauseWanted()) {
                    rings.pause();
                } else {
                    rings.resume();
                }
            }
            if ((s & FINISH) != 0 && !finishing) {
                finishing = true;
                rings.stopOutput();
            }
            if (finishing && !rings.hasData()) {
                return true;
            }
            long r = requested;
            if (r == 0) {
                // no demand: leave the rings to the kernel (it counts what does not fit) until request() wakes us
                rings.awaitSignal(-1);
                continue;
            }
            budget = r;
            emitted = 0;
            rings.readFair(this);
            long handed = emitted;
            if (handed > 0) {
                Operators.produced(REQUESTED, this, handed);
            }
            if (handed < r && !finishing && signals == 0) {
                // every ring gave what it held: wait for a wakeup, a signal or the timed peek, then read again;
                // records of a CPU that goes offline meanwhile are read with what demand is left
                budget = r - handed;
                emitted = 0;
                // asked each time: adaptive wakeups need no timed peek while every ring wakes per sample
                rings.await(rings.peekMillis());
                if (emitted > 0) {
                    Operators.produced(REQUESTED, this, emitted);
                }
            }
        }
    }

    /** Gives up the map watch and releases the rings, then lets the stream take a new subscription. */
    private Throwable release(Throwable error) {
        try {
            if (mapWatch != null) {
                mapWatch.close();
            }
        } catch (Exception e) {
            error = keep(error, e);
        }
        try {
            rings.close();
        } catch (RuntimeException e) {
            error = keep(error, e);
        } finally {
            stream.ended(this);
        }
        return error;
    }

    private static Throwable keep(Throwable error, Exception e) {
        if (error == null) {
            return e;
        }
        error.addSuppressed(e);
        return error;
    }

    /**
     * Takes one record: declines it (leaving it in the ring) when the stream is stopping or paused by demand,
     * otherwise makes it an element and emits it, unless a cancel came while it was being made.
     */
    @Override
    public boolean visit(int cpu, int type, int misc, ByteBuffer record, int offset, int length) {
        if ((signals & STOP) != 0 || emitted == budget) {
            return false;
        }
        deliver(emitter.emit(cpu, type, misc, record, offset, length));
        return true;
    }

    /** Takes one ring buffer sample, as {@link #visit(int, int, int, ByteBuffer, int, int)} takes a record. */
    @Override
    public boolean visit(ByteBuffer data, int offset, int length) {
        if ((signals & STOP) != 0 || emitted == budget) {
            return false;
        }
        deliver(decoder.decode(RingBuf.NO_CPU, data, offset, length));
        return true;
    }

    /**
     * Takes a ring buffer loss: counted only when losses are not elements, otherwise emitted as one when demand
     * allows; declined while the stream is stopping.
     */
    @Override
    public boolean lost(long count) {
        if ((signals & STOP) != 0 || lostDecoder != null && emitted == budget) {
            return false;
        }
        if (lostDecoder != null) {
            deliver(lostDecoder.lost(RingBuf.NO_CPU, count));
        }
        return true;
    }

    /** Emits {@code value}, unless it is null (taken, not emitted) or a cancel came while it was being made. */
    private void deliver(T value) {
        if (value != null && (signals & STOP) == 0) {
            emitted++;
            actual.onNext(value);
        }
    }
}
