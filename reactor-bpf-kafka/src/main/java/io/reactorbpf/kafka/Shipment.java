package io.reactorbpf.kafka;

import io.reactorbpf.perf.PerfEvent;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * One subscription of a {@link KafkaSink} to a stream: each element becomes a record sent with the sink's
 * producer, and each settled record (acknowledged or failed) frees the slot its element took, which is requested
 * again. Outstanding demand plus records in flight never exceed the sink's {@code maxInFlight}. Ends, with the
 * shipment's totals, once the stream has ended and every record has settled.
 *
 * <p>Threading: onNext and the stream's terminal signals come from the stream's thread, one at a time; record
 * callbacks come from the producer's I/O thread (or from inside {@code send} when it fails at once).
 */
final class Shipment implements CoreSubscriber<PerfEvent> {

    private static final Header SAMPLE = new RecordHeader(KafkaSink.EVENT_HEADER,
            KafkaSink.SAMPLE_EVENT.getBytes(StandardCharsets.UTF_8));
    private static final Header LOST = new RecordHeader(KafkaSink.EVENT_HEADER,
            KafkaSink.LOST_EVENT.getBytes(StandardCharsets.UTF_8));

    private static final AtomicReferenceFieldUpdater<Shipment, Subscription> UPSTREAM =
            AtomicReferenceFieldUpdater.newUpdater(Shipment.class, Subscription.class, "upstream");

    private final KafkaSink sink;
    private final MonoSink<SinkTotals> result;
    private final SinkCounters counters;
    private final HostCpuKeys keys;
    /** Slots freed by settled records, requested again once there are {@link #replenish} of them. */
    private final AtomicLong freed = new AtomicLong();
    private final long replenish;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Callback sampleSettled = (metadata, failure) -> settled(true, failure);
    private final Callback lostSettled = (metadata, failure) -> settled(false, failure);

    private volatile Subscription upstream;
    private volatile boolean done;
    private Throwable error;

    Shipment(KafkaSink sink, MonoSink<SinkTotals> result) {
        this.sink = sink;
        this.result = result;
        this.counters = new SinkCounters(sink.counters());
        this.keys = new HostCpuKeys(sink.host());
        // a quarter of the slots at a time: fewer requests to the stream's poller than one per acknowledgement
        this.replenish = Math.max(1, sink.maxInFlight() / 4);
    }

    @Override
    public void onSubscribe(Subscription s) {
        if (Operators.setOnce(UPSTREAM, this, s)) {
            s.request(sink.maxInFlight());
        }
    }

    @Override
    public void onNext(PerfEvent event) {
        if (event instanceof PerfEvent.Sample sample) {
            counters.sampleTaken();
            byte[] value;
            try {
                value = sink.format().value(sink.host(), sample.cpu(), sample.data());
            } catch (RuntimeException e) {
                settled(true, e);
                return;
            }
            send(sample.cpu(), value, SAMPLE, sampleSettled, true);
        } else if (event instanceof PerfEvent.Lost lost) {
            counters.lostTaken(lost.count());
            send(lost.cpu(), JsonSampleFormat.lost(sink.host(), lost.cpu(), lost.count()), LOST, lostSettled, false);
        }
    }

    private void send(int cpu, byte[] value, Header event, Callback callback, boolean sample) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(sink.topic(), null, keys.key(cpu), value,
                new RecordHeaders(new Header[] {event}));
        try {
            sink.producer().send(record, callback);
        } catch (RuntimeException e) {
            // a closed producer, an interrupt: the record never entered the producer, so no callback will come
            settled(sample, e);
        }
    }

    private void settled(boolean sample, Exception failure) {
        counters.settled(sample, failure);
        if (freed.incrementAndGet() >= replenish) {
            long n = freed.getAndSet(0);
            Subscription s = upstream;
            if (n > 0 && s != null && s != Operators.cancelledSubscription() && !done) {
                s.request(n);
            }
        }
        finishWhenSettled();
    }

    @Override
    public void onError(Throwable t) {
        error = t;
        done = true;
        finishWhenSettled();
    }

    @Override
    public void onComplete() {
        done = true;
        finishWhenSettled();
    }

    /** The stream's terminal signal and the last settlement may race: whichever sees both first ends. */
    private void finishWhenSettled() {
        if (done && counters.inFlight() == 0 && finished.compareAndSet(false, true)) {
            if (error != null) {
                result.error(error);
            } else {
                result.success(counters.totals());
            }
        }
    }

    /** The shipment's subscriber cancelled: the stream stops; records in flight still settle and are counted. */
    void cancel() {
        Operators.terminate(UPSTREAM, this);
    }
}
