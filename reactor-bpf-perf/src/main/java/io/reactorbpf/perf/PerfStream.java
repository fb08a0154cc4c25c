package io.reactorbpf.perf;

import io.reactorbpf.core.map.BpfMap;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

import java.util.Objects;
import java.util.Optional;

/**
 * A stream of what a BPF program writes to a {@code PERF_EVENT_ARRAY} map, and the handle that controls it:
 * {@link #pause()}, {@link #resume()}, {@link #complete()} and the rings' counters ({@link #rings()}). Only
 * whoever holds this object can reach its subscription; nothing is found through a process-wide lookup.
 *
 * <p>Subscribing opens one perf ring per online CPU on the subscribing thread (so every sample written after
 * {@code subscribe} returns is delivered or counted), stores each ring in its CPU's map slot, and starts one
 * poller thread, named {@code perf-MAP}, that owns the rings from then on: it alone reads, pauses, follows CPU
 * hotplug and unmaps them. A map's slots serve one reader at a time, so a second live subscription on the same
 * map (through this stream or any other) fails at once with an {@link IllegalStateException}: share one stream
 * among subscribers with {@code share()} or {@code publish()}. A new subscription after the previous one ended,
 * or right after a cancel, takes the map as soon as the previous poller has let go of it.
 *
 * <p>Threading: {@code onNext} runs on the poller thread, inside the pass over the ring the record is in; use
 * {@code publishOn(scheduler, prefetch)} to move work off it. The control methods may be called from any
 * thread, at any time; they never block: the poller applies them before its next record.
 *
 * <p>Backpressure: the rings are the buffer. The poller takes only as many records as are requested; with no
 * demand it stops reading and waits for demand, the kernel drops samples that do not fit, and the LOST records
 * it writes reach the subscriber once demand returns. Nothing is queued in user space.
 *
 * <p>Ending: {@link #complete()} stops output, hands out what the rings hold as demand allows, then completes.
 * After {@code cancel()} returns, no callback (decoder, onNext) starts; at most the one in progress ends, and
 * the poller releases the rings. Closing the map, or the object it belongs to, ends the stream with
 * onError({@link PerfBufferClosedException}) once the rings are released; to end cleanly, complete the stream
 * first, or tie the object's life to the stream with {@code Flux.using}. Records left in the rings when a stream
 * stops are counted as {@link PerfRingCounters#discarded()}. Every terminal signal comes after the rings were
 * released, so {@code repeat()} and {@code retry()} resubscribe on a free map.
 *
 * @param <T> the element type
 * @since 0.1
 */
public final class PerfStream<T> extends Flux<T> {

    private final BpfMap map;
    private final PerfBufferOptions options;
    private final Emitter<T> emitter;
    private final LiveSubscription live = new LiveSubscription();

    private PerfStream(BpfMap map, PerfBufferOptions options, Emitter<T> emitter) {
        this.map = Objects.requireNonNull(map, "map");
        this.options = Objects.requireNonNull(options, "options");
        this.emitter = emitter;
        if (options.overwritable()) {
            throw new IllegalArgumentException("overwritable rings of map '" + map.name() + "' keep the newest"
                    + " records for snapshots and are never drained: read them with PerfBuffer.open(...).snapshot()");
        }
    }

    /**
     * Every event, samples (copied into arrays) and lost counts, with the default options.
     *
     * @param map the PERF_EVENT_ARRAY the programs write to; still owned by the caller, and read from subscribe
     *        on (a map of another type is signalled with onError then)
     * @return the stream; nothing is opened until it is subscribed
     */
    public static PerfStream<PerfEvent> events(BpfMap map) {
        return events(map, PerfBufferOptions.defaults());
    }

    /**
     * Every event: samples (copied into arrays) and lost counts.
     *
     * @param map the PERF_EVENT_ARRAY the programs write to; still owned by the caller
     * @param options ring size, wakeups, latency bound and listener
     * @return the stream; nothing is opened until it is subscribed
     * @throws IllegalArgumentException when the options ask for overwritable rings, which a stream cannot drain
     */
    public static PerfStream<PerfEvent> events(BpfMap map, PerfBufferOptions options) {
        return new PerfStream<>(map, options, Emitter.events());
    }

    /**
     * Samples only; lost counts still reach the counters and meters.
     *
     * @param map the PERF_EVENT_ARRAY the programs write to; still owned by the caller
     * @param options ring size, wakeups, latency bound and listener
     * @return the stream; nothing is opened until it is subscribed
     * @throws IllegalArgumentException when the options ask for overwritable rings
     */
    public static PerfStream<PerfEvent.Sample> samples(BpfMap map, PerfBufferOptions options) {
        return new PerfStream<>(map, options, Emitter.samples());
    }

    /**
     * Lost counts only; samples are taken and counted without being emitted.
     *
     * @param map the PERF_EVENT_ARRAY the programs write to; still owned by the caller
     * @param options ring size, wakeups, latency bound and listener
     * @return the stream; nothing is opened until it is subscribed
     * @throws IllegalArgumentException when the options ask for overwritable rings
     */
    public static PerfStream<PerfEvent.Lost> lost(BpfMap map, PerfBufferOptions options) {
        return new PerfStream<>(map, options, Emitter.lost());
    }

    /**
     * Samples decoded in place with the default options; lost counts are counted, not emitted.
     *
     * @param map the PERF_EVENT_ARRAY the programs write to; still owned by the caller
     * @param decoder makes each element from the sample in ring memory, on the poller thread
     * @param <T> the element type
     * @return the stream; nothing is opened until it is subscribed
     */
    public static <T> PerfStream<T> decode(BpfMap map, RecordDecoder<T> decoder) {
        return decode(map, PerfBufferOptions.defaults(), decoder);
    }

    /**
     * Samples decoded in place: {@code decoder} reads each sample from ring memory before the record is
     * released, so nothing is allocated per sample but what it returns. Lost counts are counted, not emitted.
     *
     * @param map the PERF_EVENT_ARRAY the programs write to; still owned by the caller
     * @param options ring size, wakeups, latency bound and listener
     * @param decoder makes each element from the sample in ring memory, on the poller thread
     * @param <T> the element type
     * @return the stream; nothing is opened until it is subscribed
     * @throws IllegalArgumentException when the options ask for overwritable rings
     */
    public static <T> PerfStream<T> decode(BpfMap map, PerfBufferOptions options, RecordDecoder<T> decoder) {
        return new PerfStream<>(map, options, Emitter.decoded(decoder, null));
    }

    /**
     * Samples decoded in place, and lost counts turned into elements by {@code lost}.
     *
     * @param map the PERF_EVENT_ARRAY the programs write to; still owned by the caller
     * @param options ring size, wakeups, latency bound and listener
     * @param decoder makes each element from the sample in ring memory, on the poller thread
     * @param lost makes an element of each lost count, or null to only count it
     * @param <T> the element type
     * @return the stream; nothing is opened until it is subscribed
     * @throws IllegalArgumentException when the options ask for overwritable rings
     */
    public static <T> PerfStream<T> decode(BpfMap map, PerfBufferOptions options, RecordDecoder<T> decoder,
                                           LostDecoder<T> lost) {
        return new PerfStream<>(map, options, Emitter.decoded(decoder, Objects.requireNonNull(lost, "lost")));
    }

    /**
     * Every record with its header (meant for the raw variant, but works with any options).
     *
     * @param map the PERF_EVENT_ARRAY the programs write to; still owned by the caller
     * @param options the options, such as the raw variant's CPUs, keys and perf_event_attr
     * @return the stream; nothing is opened until it is subscribed
     * @throws IllegalArgumentException when the options ask for overwritable rings
     */
    public static PerfStream<PerfRecord> records(BpfMap map, PerfBufferOptions options) {
        return new PerfStream<>(map, options, Emitter.records());
    }

    /**
     * Opens the rings and fills the map's slots on the subscribing thread, then starts the poller thread. A
     * failure to open (privileges, a map another reader holds, an offline CPU) is signalled with onError.
     */
    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        StreamPoller<T> poller;
        try {
            // a pause asked for before subscribing holds from the start: the slots are not filled at all
            poller = StreamPoller.perf(live, actual, RingSet.open(map, options, live.pauseWanted()), emitter);
        } catch (RuntimeException e) {
            Operators.error(actual, e);
            return;
        }
        live.started(poller);
        poller.start(map);
    }

    /**
     * Pauses output: the map slots are cleared, so the program's samples go nowhere (and are not counted as
     * lost) while the subscription and its rings stay. Also holds for subscriptions made later, until
     * {@link #resume()}. Any thread; the poller applies it before its next record.
     */
    public void pause() {
        live.pauseWanted(true);
        live.signal(StreamPoller.PAUSE);
    }

    /** Resumes output that {@link #pause()} stopped. Any thread. */
    public void resume() {
        live.pauseWanted(false);
        live.signal(StreamPoller.PAUSE);
    }

    /**
     * Whether the live subscription's map slots are clear now; without one, whether pause was asked for. Any
     * thread.
     *
     * @return true while paused
     */
    public boolean isPaused() {
        return live.isPaused();
    }

    /**
     * Completes the live subscription: output stops, the records still in the rings are emitted as demand
     * allows, then onComplete. Any thread. Returns false when no subscription is live.
     *
     * @return true when a live subscription was asked to complete
     */
    public boolean complete() {
        return live.signal(StreamPoller.FINISH);
    }

    /**
     * Whether a subscription is live: its rings open. Any thread.
     *
     * @return true between a successful subscribe and the release of its rings
     */
    public boolean isLive() {
        return live.isLive();
    }

    /**
     * The rings of the live subscription, or of the last one once it ended (their counters then hold its
     * totals); empty before the first subscription. Any thread.
     *
     * @return the rings with their live counters, or empty
     */
    public Optional<PerfRings> rings() {
        return live.rings();
    }

    /**
     * The map this stream reads.
     *
     * @return the map's name
     */
    public String mapName() {
        return map.name();
    }

    /**
     * The options the stream opens its rings with.
     *
     * @return the options
     */
    public PerfBufferOptions options() {
        return options;
    }

    @Override
    public String toString() {
        return "PerfStream[map=" + map.name() + ", " + options + "]";
    }
}
