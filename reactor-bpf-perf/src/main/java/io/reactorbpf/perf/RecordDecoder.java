package io.reactorbpf.perf;

import java.nio.ByteBuffer;

/**
 * Turns a sample's raw data into a value while it is still in the ring, so a consumer allocates only what
 * it keeps. Called on the draining thread with a view that is valid only during the call (see
 * {@link RecordHandler}); the value returned must not refer to that view.
 *
 * @param <T> the decoded value
 * @since 0.1
 */
@FunctionalInterface
public interface RecordDecoder<T> {

    /**
     * The value of one sample.
     *
     * @param cpu the CPU whose ring carried it; {@link RingBuf#NO_CPU} from a BPF ring buffer
     * @param data a read-only native-order view holding the sample, valid only during the call
     * @param offset where the sample starts in {@code data}
     * @param length the sample's length
     * @return the value, which must not refer to {@code data}; null is not emitted
     */
    T decode(int cpu, ByteBuffer data, int offset, int length);

    /**
     * A decoder that copies the raw data into a new array.
     *
     * @return the decoder; each array it returns is the receiver's
     */
    static RecordDecoder<byte[]> bytes() {
        return (cpu, data, offset, length) -> {
            byte[] copy = new byte[length];
            data.get(offset, copy);
            return copy;
        };
    }
}
