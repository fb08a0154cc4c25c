package io.reactorbpf.spring.boot;

import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.perf.PerfEvent;
import io.reactorbpf.perf.PerfRings;
import io.reactorbpf.perf.PerfStream;
import io.reactorbpf.perf.RingBufStream;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One streamed map of a BPF object, shared by every subscriber: the bean {@code OBJECT.MAP} that a controller
 * injects. A map serves one reader at a time, so a single upstream subscription, the {@link PerfStream} or
 * {@link RingBufStream} of {@link #source()}, reads the rings with unbounded demand from when the application
 * starts until it stops, and hands each event to every subscriber of {@link #events()}.
 *
 * <p>Backpressure: the upstream never waits for a subscriber. Each subscriber has its own buffer of
 * {@code subscriber-buffer} events; one that reads too slowly overflows only its own buffer, whose oldest events
 * are dropped and counted ({@link #dropped()}, the meter {@code reactor.bpf.stream.dropped}), and it receives
 * {@code PerfEvent.Lost(}{@link #SUBSCRIBER}{@code , n)} before its next event. The other subscribers lose nothing
 * because of it, and memory is bounded by subscribers × buffer whatever the event rate. Events the kernel could not
 * fit in a ring reach every subscriber as {@code PerfEvent.Lost(cpu, n)} (a ring buffer's with cpu
 * {@code RingBuf.NO_CPU}).
 *
 * <p>Threading: events are emitted on the stream's poller thread ({@code perf-MAP} or {@code ringbuf-MAP}) or on
 * the thread whose request drains a subscriber's buffer; move slow work off them with
 * {@code publishOn(scheduler, prefetch)}. Every method is thread-safe.
 *
 * <p>Lifecycle: the starter starts the upstream when the application context starts and, when it stops, completes
 * it before the web server stops: what the rings hold goes out, then every subscriber completes, so no streaming
 * response holds up the shutdown. A stream that ends with an error (its object was closed, its rings could not
 * open) ends every subscriber with that error and turns the health indicator DOWN.
 */
public final class BpfEventStream {

    /**
     * The cpu of a {@link PerfEvent.Lost} that counts events dropped from this subscriber's own buffer because it
     * read too slowly, rather than lost in a kernel ring.
     */
    public static final int SUBSCRIBER = -2;
    /** How long a stop waits for the upstream to hand out what the rings hold before it cancels it. */
    static final Duration COMPLETE_TIMEOUT = Duration.ofMillis(500);

    private final String object;
    private final String map;
    private final MapType type;
    private final StreamSource source;
    private final int subscriberBuffer;
    private final LongAdder dropped = new LongAdder();
    private final AtomicInteger subscribers = new AtomicInteger();
    /** The current upstream run; replaced when the stream starts again after it ended. */
    private volatile Run run = new Run();

    BpfEventStream(String object, String map, MapType type, StreamSource source, int subscriberBuffer) {
        this.object = object;
        this.map = map;
        this.type = type;
        this.source = source;
        this.subscriberBuffer = subscriberBuffer;
    }

    /**
     * The object's name.
     *
     * @return the name under {@code reactorbpf.objects}
     */
    public String object() {
        return object;
    }

    /**
     * The map's name.
     *
     * @return the name under the object's {@code streams}
     */
    public String map() {
        return map;
    }

    /**
     * PERF_EVENT_ARRAY or RINGBUF.
     *
     * @return the map's type, which chose the reader
     */
    public MapType type() {
        return type;
    }

    /**
     * A new subscriber's stream: every event from now on ({@link PerfEvent.Sample}, with its bytes copied out of
     * the ring, and {@link PerfEvent.Lost}), this subscriber's own drops reported as
     * {@code Lost(}{@link #SUBSCRIBER}{@code , n)}. Demand comes from the subscriber; without it its buffer fills and
     * then drops its oldest events. Completes when the application stops; errors when the stream does.
     *
     * @return a new cold view of the shared stream, one per subscriber
     */
    public Flux<PerfEvent> events() {
        return Flux.defer(() -> SubscriberBuffer.bounded(run.sink.asFlux(), subscriberBuffer, dropped::add))
                .doOnSubscribe(s -> subscribers.incrementAndGet())
                .doFinally(s -> subscribers.decrementAndGet());
    }

    /**
     * Subscribers of {@link #events()} now.
     *
     * @return the count, from any thread
     */
    public int subscribers() {
        return subscribers.get();
    }

    /**
     * Events dropped from slow subscribers' buffers, over every subscriber so far.
     *
     * @return the count, from any thread
     */
    public long dropped() {
        return dropped.sum();
    }

    /**
     * The library stream the upstream reads, a {@link PerfStream} or a {@link RingBufStream}, for its controls
     * ({@code PerfStream.pause()}, {@code rings()}). Do not subscribe to it: its map serves the upstream.
     *
     * @return the library stream
     */
    public Flux<PerfEvent> source() {
        return source.events();
    }

    /**
     * The rings of the upstream, or of the last one once it ended; empty before the application started.
     *
     * @return the rings' view, or empty
     */
    public Optional<PerfRings> rings() {
        return source.rings().get();
    }

    /**
     * Whether the upstream runs: started and not ended.
     *
     * @return true while it runs
     */
    public boolean isLive() {
        Run r = run;
        return r.upstream != null && r.ended.getCount() > 0;
    }

    /**
     * The error the upstream ended with, if it did.
     *
     * @return the error, or empty
     */
    public Optional<Throwable> error() {
        return Optional.ofNullable(run.error);
    }

    /** The property prefix of this stream. */
    String property() {
        return BpfObjectLoader.prefix(object) + ".streams." + map;
    }

    /**
     * Subscribes the upstream unless it runs, on a new run when the last one ended. Throws a
     * {@link BpfPropertyException} naming the stream when the rings cannot open (privileges, locked memory, a map
     * another reader holds).
     */
    synchronized void start() {
        Run r = run;
        if (r.upstream != null) {
            if (r.ended.getCount() > 0) {
                return;
            }
            r = new Run();
            run = r;
        }
        Run current = r;
        // only the poller thread emits, so emissions never race; an event with no subscriber is simply not sent.
        // The library signals the end after the rings were released; subscribers hear of it once it is recorded.
        current.upstream = source.events().subscribe(current.sink::tryEmitNext, e -> {
            current.error = e;
            current.ended.countDown();
            current.sink.tryEmitError(e);
        }, () -> {
            current.ended.countDown();
            current.sink.tryEmitComplete();
        });
        if (current.error != null) {
            throw new BpfPropertyException(property(), current.error);
        }
    }

    /** Asks the upstream to complete after what the rings hold; returns at once. */
    void complete() {
        source.complete().getAsBoolean();
    }

    /**
     * Waits until {@code deadline} ({@link System#nanoTime()}) for the upstream to end, then cancels it and
     * completes the subscribers if it has not.
     */
    void awaitEnd(long deadline) {
        Run r = run;
        if (r.upstream == null) {
            return;
        }
        try {
            if (!r.ended.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                cancel(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel(r);
        }
    }

    /** Cancels a live upstream and completes the subscribers; the bean's destroy method. Later calls do nothing. */
    void close() {
        Run r = run;
        if (r.upstream != null && r.ended.getCount() > 0) {
            cancel(r);
        }
    }

    private static void cancel(Run r) {
        r.upstream.dispose();
        // the poller may still be inside its last onNext: retry briefly instead of racing it
        r.sink.emitComplete(Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(100)));
        r.ended.countDown();
    }

    @Override
    public String toString() {
        return "BpfEventStream[" + object + "." + map + ", " + type + "]";
    }

    /** One upstream subscription and the sink it feeds. */
    private static final class Run {
        final Sinks.Many<PerfEvent> sink = Sinks.many().multicast().directBestEffort();
        final CountDownLatch ended = new CountDownLatch(1);
        volatile Disposable upstream;
        volatile Throwable error;
    }
}
