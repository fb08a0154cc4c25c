package io.reactorbpf.core.map;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Turns Java values into a map's key or value bytes (native byte order, as BPF programs see them) and back.
 * Implementations must be stateless and thread-safe.
 *
 * @param <T> the Java type encoded
 * @since 0.1
 */
public interface MapCodec<T> {

    /**
     * Bytes one encoded value takes.
     *
     * @return the fixed size, equal to the map's key or value size
     */
    int size();

    /**
     * The bytes of {@code value}.
     *
     * @param value the value to encode
     * @return a new array of {@link #size()} bytes, owned by the caller
     * @throws MapException when the value cannot be encoded in {@link #size()} bytes
     */
    byte[] encode(T value);

    /**
     * The value whose bytes start at {@code offset} of {@code bytes}.
     *
     * @param bytes bytes read from the map
     * @param offset where the value's {@link #size()} bytes start
     * @return the decoded value
     */
    T decode(byte[] bytes, int offset);

    /** A 32-bit integer. */
    MapCodec<Integer> INT = new MapCodec<>() {
        public int size() {
            return 4;
        }

        public byte[] encode(Integer value) {
            return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
        }

        public Integer decode(byte[] bytes, int offset) {
            return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getInt(offset);
        }
    };

    /** A 64-bit integer. */
    MapCodec<Long> LONG = new MapCodec<>() {
        public int size() {
            return 8;
        }

        public byte[] encode(Long value) {
            return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(value).array();
        }

        public Long decode(byte[] bytes, int offset) {
            return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getLong(offset);
        }
    };

    /**
     * Raw bytes of a fixed {@code size}; encoding copies, so the caller may reuse its array.
     *
     * @param size the key or value size
     * @return the codec, which throws {@link MapException} for arrays of another length
     */
    static MapCodec<byte[]> bytes(int size) {
        return new MapCodec<>() {
            public int size() {
                return size;
            }

            public byte[] encode(byte[] value) {
                if (value.length != size) {
                    throw new MapException("expected " + size + " bytes, got " + value.length);
                }
                return value.clone();
            }

            public byte[] decode(byte[] bytes, int offset) {
                byte[] out = new byte[size];
                System.arraycopy(bytes, offset, out, 0, size);
                return out;
            }
        };
    }
}
