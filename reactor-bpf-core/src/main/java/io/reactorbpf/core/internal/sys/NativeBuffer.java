package io.reactorbpf.core.internal.sys;

import com.kenai.jffi.MemoryIO;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Native memory handed to a syscall: a direct, native-order {@link ByteBuffer} and its address. The
 * garbage collector frees it; callers keep a reference (and a {@link java.lang.ref.Reference#reachabilityFence})
 * until the syscall that reads the address has returned. Not thread-safe: one caller fills and passes it.
 */
public final class NativeBuffer {

    private final ByteBuffer buffer;
    private final long address;

    private NativeBuffer(ByteBuffer buffer) {
        this.buffer = buffer.order(ByteOrder.nativeOrder());
        this.address = MemoryIO.getInstance().getDirectBufferAddress(buffer);
    }

    /** Zeroed native memory of {@code size} bytes. */
    public static NativeBuffer allocate(int size) {
        return new NativeBuffer(ByteBuffer.allocateDirect(Math.max(size, 1)));
    }

    /** Native memory holding a copy of {@code bytes}. */
    public static NativeBuffer copyOf(byte[] bytes) {
        NativeBuffer b = allocate(bytes.length);
        b.buffer.put(0, bytes);
        return b;
    }

    /** Native memory holding {@code s} in UTF-8 with a terminating NUL. */
    public static NativeBuffer cString(String s) {
        byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        NativeBuffer b = allocate(utf8.length + 1);
        b.buffer.put(0, utf8);
        return b;
    }

    /** The memory's address, valid while this object is reachable. */
    public long address() {
        return address;
    }

    /** The memory as a buffer in native byte order; absolute gets and puts only. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** The size in bytes. */
    public int size() {
        return buffer.capacity();
    }

    /** A copy of the first {@code length} bytes. */
    public byte[] toBytes(int length) {
        byte[] out = new byte[length];
        buffer.get(0, out);
        return out;
    }

    /** Sets every byte to zero. */
    public NativeBuffer clear() {
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, (byte) 0);
        }
        return this;
    }
}
