package io.reactorbpf.perf.maps;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One subscription to {@link MapSnapshots}: a periodic task on one scheduler worker reads the map at each tick that
 * finds demand and emits the snapshot; a tick without demand reads nothing and is counted as skipped. Reads and
 * signals happen only on the worker, so they never overlap; {@link #request}, {@link #cancel} and
 * {@link #complete} may come from any thread and hand their work to it.
 */
final class SnapshotSubscription implements Subscription {

    private final CoreSubscriber<? super MapSnapshot> actual;
    private final String map;
    private final SnapshotSource source;
    private final Scheduler scheduler;
    private final Scheduler.Worker worker;
    private final long periodNanos;
    private final Consumer<SnapshotSubscription> onEnd;
    private final AtomicLong requested = new AtomicLong();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean cancelled;
    private volatile boolean completing;
    private volatile Disposable ticks;
    // the worker's alone
    private int skipped;
    private long sequence;
    private MapSnapshot last;
    private boolean done;

    SnapshotSubscription(CoreSubscriber<? super MapSnapshot> actual, String map, SnapshotSource source,
                         Scheduler scheduler, long periodNanos, Consumer<SnapshotSubscription> onEnd) {
        this.actual = actual;
        this.map = map;
        this.source = source;
        this.scheduler = scheduler;
        this.worker = scheduler.createWorker();
        this.periodNanos = periodNanos;
        this.onEnd = onEnd;
    }

    /** Hands this subscription to the subscriber, then starts the ticks: the first read comes one interval later. */
    void start() {
        actual.onSubscribe(this);
        try {
            ticks = worker.schedulePeriodically(this::tick, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException refused) {
            if (!ended.get()) {
                // the scheduler refuses work (it was shut down): no tick will ever run, so say so now
                done = true;
                actual.onError(refused);
                end();
            }
        }
    }

    /** Takes one last snapshot at once, emits it when demand allows and completes. Any thread; once. */
    void complete() {
        completing = true;
        schedule(this::finish);
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            schedule(() -> fail(new IllegalArgumentException("§3.9: request must be positive, got " + n)));
            return;
        }
        requested.getAndUpdate(r -> Operators.addCap(r, n));
        if (completing) {
            schedule(this::emitLast);
        }
    }

    @Override
    public void cancel() {
        cancelled = true;
        end();
    }

    private void tick() {
        if (done || cancelled) {
            return;
        }
        if (requested.get() == 0) {
            skipped++;
            return;
        }
        MapSnapshot s = read();
        if (s != null) {
            emit(s);
        }
    }

    private void finish() {
        if (done || cancelled || last != null) {
            return;
        }
        Disposable t = ticks;
        if (t != null) {
            t.dispose();
        }
        last = read();
        emitLast();
    }

    private void emitLast() {
        if (done || cancelled || last == null || requested.get() == 0) {
            return;
        }
        MapSnapshot s = last;
        last = null;
        emit(s);
        if (!done && !cancelled) {
            done = true;
            actual.onComplete();
            end();
        }
    }

    /** The map's entries now, or null after failing the subscription with what the read threw. */
    private MapSnapshot read() {
        List<MapSnapshot.Entry> entries;
        try {
            entries = source.read();
        } catch (RuntimeException e) {
            fail(e);
            return null;
        }
        MapSnapshot s = new MapSnapshot(map, sequence++, Instant.ofEpochMilli(scheduler.now(TimeUnit.MILLISECONDS)),
                skipped, entries);
        skipped = 0;
        return s;
    }

    private void emit(MapSnapshot s) {
        if (requested.get() != Long.MAX_VALUE) {
            requested.decrementAndGet();
        }
        try {
            actual.onNext(s);
        } catch (Throwable t) {
            fail(Operators.onOperatorError(this, t, s, actual.currentContext()));
        }
    }

    private void fail(Throwable e) {
        if (done || cancelled) {
            return;
        }
        done = true;
        actual.onError(e);
        end();
    }

    private void schedule(Runnable task) {
        try {
            worker.schedule(task);
        } catch (RejectedExecutionException ended) {
            // the subscription ended: there is nothing left to do
        }
    }

    /** Stops the ticks and lets go of the worker (and the scheduler, when it is the subscription's own); once. */
    private void end() {
        if (ended.compareAndSet(false, true)) {
            worker.dispose();
            onEnd.accept(this);
        }
    }
}
