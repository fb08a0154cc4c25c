package io.reactorbpf.perf;

import io.reactorbpf.core.map.BpfMap;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;

/**
 * A stream of what BPF programs write to a {@code BPF_MAP_TYPE_RINGBUF} map ({@code bpf_ringbuf_output},
 * {@code bpf_ringbuf_reserve}/{@code submit}), and the handle that controls it: {@link #complete()},
 * {@link #isLive()} and the ring's counters ({@link #rings()}). The same engine as {@link PerfStream}: one
 * poller thread, named {@code ringbuf-MAP}, owns the mapping from subscribe to release; other threads post
 * signals to it.
 *
 * <p>Subscribing maps the ring on the subscribing thread, so every sample committed after {@code subscribe}
 * returns is delivered. A ring buffer has one consumer position, so a map serves one subscription at a time: a
 * second live one fails at once with an {@link IllegalStateException} (share one stream with {@code share()} or
 * {@code publish()}).
 *
 * <p>Threading: {@code onNext} and the decoder run on the poller thread, while the sample is in ring memory; move
 * work off it with {@code publishOn(scheduler, prefetch)}. Samples carry {@link RingBuf#NO_CPU}: one ring serves
 * every CPU. The control methods may be called from any thread, at any time, and never block.
 *
 * <p>Backpressure: the ring is the buffer. The poller takes only as many samples as are requested; with no
 * demand it stops reading, the ring fills, and the program's {@code bpf_ringbuf_output}/{@code reserve} calls fail.
 * The kernel counts none of those failures; the object loader adds a count of them to the programs by default
 * ({@code ObjectSpec.countRingBufLosses}), which reaches the ring's counters ({@link PerfRingCounters#lost()}), the
 * meters, and, from {@link #events} and the {@code decode} variant with a {@link LostDecoder}, the stream itself.
 *
 * <p>Ending: {@link #complete()} hands out what producers had reserved when it was called, as demand allows,
 * then completes (a ring buffer cannot be paused or stopped from user space). After {@code cancel()} returns,
 * no decoder or {@code onNext} call starts. Closing the map, or its object, ends the stream with
 * onError({@link PerfBufferClosedException}) once the ring is unmapped. Every terminal signal comes after the
 * ring was released.
 *
 * @param <T> the element type
 * @since 0.1
 */
public final class RingBufStream<T> extends Flux<T> {

    private final BpfMap map;
    private final RingBufOptions options;
    private final RecordDecoder<T> decoder;
    private final LostDecoder<T> lost;
    private final LiveSubscription live = new LiveSubscription();

    private RingBufStream(BpfMap map, RingBufOptions options, RecordDecoder<T> decoder, LostDecoder<T> lost) {
        this.map = Objects.requireNonNull(map, "map");
        this.options = Objects.requireNonNull(options, "options");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.lost = lost;
    }

    /**
     * Every sample (copied into an array) and every loss the programs counted, with the default options.
     *
     * @param map the RINGBUF the programs write to; still owned by the caller, and read from subscribe on (a
     *        map of another type is signalled with onError then)
     * @return the stream; nothing is mapped until it is subscribed
     */
    public static RingBufStream<PerfEvent> events(BpfMap map) {
        return events(map, RingBufOptions.defaults());
    }

    /**
     * Every sample, copied into an array, and every loss the programs counted ({@link BpfMap#lossCounter()}) as a
     * {@link PerfEvent.Lost} after the samples that were in the ring when it happened. Without a loss counter on
     * the map no Lost element comes: the kernel counts nothing.
     *
     * @param map the RINGBUF the programs write to; still owned by the caller
     * @param options the latency bound and listener
     * @return the stream; nothing is mapped until it is subscribed
     */
    public static RingBufStream<PerfEvent> events(BpfMap map, RingBufOptions options) {
        return new RingBufStream<>(map, options, RingBufStream::copy, PerfEvent.Lost::new);
    }

    /**
     * Every sample, copied into an array, with the default options.
     *
     * @param map the RINGBUF the programs write to; still owned by the caller
     * @return the stream; nothing is mapped until it is subscribed
     */
    public static RingBufStream<PerfEvent.Sample> samples(BpfMap map) {
        return samples(map, RingBufOptions.defaults());
    }

    /**
     * Every sample, copied into an array; losses are counted, not emitted.
     *
     * @param map the RINGBUF the programs write to; still owned by the caller
     * @param options the latency bound and listener
     * @return the stream; nothing is mapped until it is subscribed
     */
    public static RingBufStream<PerfEvent.Sample> samples(BpfMap map, RingBufOptions options) {
        return new RingBufStream<>(map, options, RingBufStream::copy, null);
    }

    private static PerfEvent.Sample copy(int cpu, ByteBuffer data, int offset, int length) {
        byte[] bytes = new byte[length];
        data.get(offset, bytes);
        return new PerfEvent.Sample(cpu, bytes);
    }

    /**
     * Samples decoded in place with the default options.
     *
     * @param map the RINGBUF the programs write to; still owned by the caller
     * @param decoder makes each element from the sample in ring memory, on the poller thread
     * @param <T> the element type
     * @return the stream; nothing is mapped until it is subscribed
     */
    public static <T> RingBufStream<T> decode(BpfMap map, RecordDecoder<T> decoder) {
        return decode(map, RingBufOptions.defaults(), decoder);
    }

    /**
     * Samples decoded in place: {@code decoder} reads each sample from ring memory before the ring space is
     * given back, so nothing is allocated per sample but what it returns; a null result is taken, not emitted.
     *
     * @param map the RINGBUF the programs write to; still owned by the caller
     * @param options the latency bound and listener
     * @param decoder makes each element from the sample in ring memory, on the poller thread
     * @param <T> the element type
     * @return the stream; nothing is mapped until it is subscribed
     */
    public static <T> RingBufStream<T> decode(BpfMap map, RingBufOptions options, RecordDecoder<T> decoder) {
        return new RingBufStream<>(map, options, decoder, null);
    }

    /**
     * Samples decoded in place, and the losses the programs counted turned into elements by {@code lost}.
     *
     * @param map the RINGBUF the programs write to; still owned by the caller
     * @param options the latency bound and listener
     * @param decoder makes each element from the sample in ring memory, on the poller thread
     * @param lost makes an element of each loss count ({@code cpu} is {@link RingBuf#NO_CPU}), or null to only
     *        count it
     * @param <T> the element type
     * @return the stream; nothing is mapped until it is subscribed
     */
    public static <T> RingBufStream<T> decode(BpfMap map, RingBufOptions options, RecordDecoder<T> decoder,
                                              LostDecoder<T> lost) {
        return new RingBufStream<>(map, options, decoder, Objects.requireNonNull(lost, "lost"));
    }

    /** Maps the ring on the subscribing thread, then starts the poller; a failure to map is signalled with onError. */
    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        StreamPoller<T> poller;
        try {
            poller = StreamPoller.ringBuf(live, actual, RingBufSet.open(map, options), decoder, lost);
        } catch (RuntimeException e) {
            Operators.error(actual, e);
            return;
        }
        live.started(poller);
        poller.start(map);
    }

    /**
     * Completes the live subscription: the samples producers had reserved until now are emitted as demand allows,
     * then onComplete. Any thread. Returns false when no subscription is live.
     *
     * @return true when a live subscription was asked to complete
     */
    public boolean complete() {
        return live.signal(StreamPoller.FINISH);
    }

    /**
     * Whether a subscription is live: its ring mapped. Any thread.
     *
     * @return true between a successful subscribe and the release of its ring
     */
    public boolean isLive() {
        return live.isLive();
    }

    /**
     * The ring of the live subscription (cpu {@link RingBuf#NO_CPU}, key 0), or of the last one once it ended;
     * empty before the first subscription. Any thread.
     *
     * @return the ring with its live counters, or empty
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
     * The options the stream maps its ring with.
     *
     * @return the options
     */
    public RingBufOptions options() {
        return options;
    }

    @Override
    public String toString() {
        return "RingBufStream[map=" + map.name() + ", " + options + "]";
    }
}
