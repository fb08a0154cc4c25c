package io.reactorbpf.perf;

import java.nio.ByteBuffer;

/**
 * Turns a sample's raw data into a value while it is still in the ring, so a consumer allocates only what
 * it keeps. Called on the draining thread with a view that is valid only during the call (see
 * {@link RecordHandler}); the value returned must not refer to that view.
 *
 * @param <T> the decoded value
 */
@FunctionalInterface
public interface RecordDecoder<T> {

    T decode(int cpu, ByteBuffer data, int offset, int length);

    /** A decoder that copies the raw data into a new array. */
    static RecordDecoder<byte[]> bytes() {
        return (cpu, data, offset, length) -> {
            byte[] copy = new byte[length];
            data.get(offset, copy);
            return copy;
        };
    }
}
