package io.reactorbpf.perf;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

import java.nio.ByteBuffer;

/**
 * The publisher behind {@link PerfBufferSpec#events()} and its siblings. Each subscription opens its own
 * {@link PerfBuffer}, read by a new poller thread named {@code perf-MAP}; the map's slots allow one active
 * subscription at a time, so a second concurrent subscriber receives an {@link IllegalStateException}
 * (fan out with {@code share()} or {@code publish()}).
 *
 * <p>Threading: {@code onNext} runs on the poller thread, inside the drain of the ring the record is in. A
 * slow subscriber slows the drain, which is the point (see below); to move work off the poller, use
 * {@code publishOn(scheduler, prefetch)}, whose bounded queue keeps the demand, and so the rings, in charge.
 *
 * <p>Backpressure: the rings are the buffer. The poller drains only as many records as are requested; with
 * no demand it stops draining and stops polling, the kernel drops samples that do not fit, and the LOST
 * records it writes reach the subscriber as {@link PerfEvent.Lost} once demand returns. Nothing is queued in
 * user space, so memory use is the rings' size whatever the event rate.
 *
 * @param <T> the element type
 */
final class PerfFlux<T> extends Flux<T> {

    private final PerfBufferSpec spec;
    private final Emit<T> emit;

    PerfFlux(PerfBufferSpec spec, Emit<T> emit) {
        this.spec = spec;
        this.emit = emit;
    }

    /**
     * Opens the rings and fills the map's slots on the subscribing thread, so that when subscribe returns every
     * sample the program writes from then on is delivered or counted as lost; then starts the poller thread.
     * A failure to open (privileges, a map another buffer holds, an offline CPU) is signalled with onError.
     */
    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        PerfPoller<T> poller;
        try {
            poller = PerfPoller.open(actual, spec, emit);
        } catch (RuntimeException e) {
            Operators.error(actual, e);
            return;
        }
        actual.onSubscribe(poller);
        Thread thread = new Thread(poller, "perf-" + spec.mapName());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * What the poller emits for each record: a value, or null for a record that is counted but not emitted.
     * Runs on the poller thread while the record is still in the ring.
     */
    abstract static class Emit<T> {

        /** Whether records reach {@link #record} whole instead of {@link #sample} and {@link #lost}. */
        boolean raw() {
            return false;
        }

        T sample(int cpu, ByteBuffer data, int offset, int length) {
            return null;
        }

        T lost(int cpu, long count) {
            return null;
        }

        T record(int cpu, int type, int misc, ByteBuffer record, int offset, int length) {
            return null;
        }

        static Emit<PerfEvent> events() {
            return new Emit<>() {
                @Override
                PerfEvent sample(int cpu, ByteBuffer data, int offset, int length) {
                    return new PerfEvent.Sample(cpu, copy(data, offset, length));
                }

                @Override
                PerfEvent lost(int cpu, long count) {
                    return new PerfEvent.Lost(cpu, count);
                }
            };
        }

        static Emit<PerfEvent.Sample> samples() {
            return new Emit<>() {
                @Override
                PerfEvent.Sample sample(int cpu, ByteBuffer data, int offset, int length) {
                    return new PerfEvent.Sample(cpu, copy(data, offset, length));
                }
            };
        }

        static Emit<PerfEvent.Lost> lostOnly() {
            return new Emit<>() {
                @Override
                PerfEvent.Lost lost(int cpu, long count) {
                    return new PerfEvent.Lost(cpu, count);
                }
            };
        }

        static <T> Emit<T> decoded(RecordDecoder<T> decoder, LostDecoder<T> lostDecoder) {
            return new Emit<>() {
                @Override
                T sample(int cpu, ByteBuffer data, int offset, int length) {
                    return decoder.decode(cpu, data, offset, length);
                }

                @Override
                T lost(int cpu, long count) {
                    return lostDecoder == null ? null : lostDecoder.lost(cpu, count);
                }
            };
        }

        static Emit<PerfRecord> records() {
            return new Emit<>() {
                @Override
                boolean raw() {
                    return true;
                }

                @Override
                PerfRecord record(int cpu, int type, int misc, ByteBuffer record, int offset, int length) {
                    return new PerfRecord(cpu, type, misc, copy(record, offset, length));
                }
            };
        }

        private static byte[] copy(ByteBuffer data, int offset, int length) {
            byte[] bytes = new byte[length];
            data.get(offset, bytes);
            return bytes;
        }
    }
}
