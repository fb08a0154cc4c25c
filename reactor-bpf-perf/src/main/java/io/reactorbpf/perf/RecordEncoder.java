package io.reactorbpf.perf;

import java.nio.ByteBuffer;

/**
 * Writes one value as a record straight into a user ring buffer's memory, the way {@link RecordDecoder} reads
 * one out of a ring: {@code capacity} bytes are free at {@code offset} in {@code data} (a native-order view of
 * ring memory, valid only during the call), and the encoder returns how many it wrote, 0 to {@code capacity}.
 * Nothing is allocated on the way; the BPF program gets exactly those bytes.
 *
 * <p>Threading: called on the writing thread, one value at a time.
 *
 * @param <T> the type of the values written
 * @since 0.1
 */
@FunctionalInterface
public interface RecordEncoder<T> {

    /**
     * Writes {@code value} into the reserved space.
     *
     * @param value the value to write
     * @param data a native-order view of ring memory, valid only during the call
     * @param offset where the free space starts in {@code data}
     * @param capacity the free bytes at {@code offset}
     * @return the bytes written, 0 to {@code capacity}: the record's length as the program sees it
     */
    int encode(T value, ByteBuffer data, int offset, int capacity);
}
