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
 */
@FunctionalInterface
public interface SampleVisitor {

    boolean visit(ByteBuffer data, int offset, int length);

    /**
     * Offers {@code count} samples the programs failed to write since the last loss taken (see
     * {@link RingBuf#countLosses}); returning false leaves them for a later pass. Taken by default: the ring's
     * counters still count them.
     */
    default boolean lost(long count) {
        return true;
    }

    /** Hands every sample and loss to {@code handler} ({@code cpu} is {@link RingBuf#NO_CPU}) and takes it: libbpf's sample_cb. */
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
