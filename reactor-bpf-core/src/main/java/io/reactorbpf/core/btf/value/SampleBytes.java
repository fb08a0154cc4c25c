package io.reactorbpf.core.btf.value;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Little-endian reads at absolute positions of any {@link ByteBuffer}, whatever order the buffer itself is set
 * to, without changing its position or allocating.
 */
final class SampleBytes {

    private static final VarHandle SHORT = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private SampleBytes() {
    }

    static short getShort(ByteBuffer buffer, int position) {
        return (short) SHORT.get(buffer, position);
    }

    static int getInt(ByteBuffer buffer, int position) {
        return (int) INT.get(buffer, position);
    }

    static long getLong(ByteBuffer buffer, int position) {
        return (long) LONG.get(buffer, position);
    }

    /** The {@code count} (at most 8) bytes at {@code position} as a little-endian unsigned number. */
    static long getBytes(ByteBuffer buffer, int position, int count) {
        long value = 0;
        for (int i = 0; i < count; i++) {
            value |= (buffer.get(position + i) & 0xffL) << (8 * i);
        }
        return value;
    }

    /** Checks that {@code [offset, offset + length)} lies inside {@code buffer}'s limit. */
    static void checkRegion(ByteBuffer buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buffer.limit() - length) {
            throw new BtfValueException("sample region [offset " + offset + ", length " + length
                    + "] lies outside the buffer (limit " + buffer.limit() + "): pass the offset and length of "
                    + "the sample's bytes inside the buffer");
        }
    }
}
