package io.reactorbpf.perf;

import java.nio.ByteBuffer;

/**
 * Takes samples out of a BPF ring buffer in place: the one path every reader of {@link RingBuf#read} goes
 * through. Each call offers one committed sample, {@code length} bytes at {@code offset} in {@code data} (a
 * read-only native-order view of ring memory, valid only during the call). Returning false declines the
 * sample: it and those after it stay in the ring for the next pass, which is how a reader with no demand leaves
 * the ring full, so the program's reserves fail.
 *
 * <p>Threading: called on the thread reading the ring. A visitor that throws has taken its sample.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface SampleVisitor {

    /**
     * Offers one committed sample.
     *
     * @param data a read-only native-order view of ring memory, valid only during the call
     * @param offset where the sample starts in {@code data}
     * @param length the sample's length, as the program reserved or output it
     * @return true to take the sample, false to leave it and the rest of the pass in the ring
     */
    boolean visit(ByteBuffer data, int offset, int length);

    /**
     * Offers {@code count} samples the programs failed to write since the last loss taken (see
     * {@link RingBuf#countLosses}); returning false leaves them for a later pass. Taken by default: the ring's
     * counters still count them.
     *
     * @param count the samples lost since the last loss taken
     * @return true to take the loss, false to offer it again later
     */
    default boolean lost(long count) {
        return true;
    }

    /**
     * Hands every sample and loss to {@code handler} ({@code cpu} is {@link RingBuf#NO_CPU}) and takes it:
     * libbpf's sample_cb.
     *
     * @param handler gets each sample and loss
     * @return a visitor that takes everything
     */
    static SampleVisitor handing(RecordHandler handler) {
        java.util.Objects.requireNonNull(handler, "handler");
        return new SampleVisitor() {
            @Override
            public boolean visit(ByteBuffer data, int offset, int length) {
                handler.onSample(RingBuf.NO_CPU, data, offset, length);
                return true;
            }

            @Override
            public boolean lost(long count) {
                handler.onLost(RingBuf.NO_CPU, count);
                return true;
            }
        };
    }
}
