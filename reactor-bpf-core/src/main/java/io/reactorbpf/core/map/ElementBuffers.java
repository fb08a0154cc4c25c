package io.reactorbpf.core.map;

import io.reactorbpf.core.internal.sys.NativeBuffer;

/**
 * The native memory one thread hands to the map element calls (lookup, update, delete): a key and a value
 * buffer, grown to the largest size the thread has asked for and reused, so that an element call allocates no
 * native memory once the thread has seen its largest map.
 *
 * <p>Confined to its thread ({@link #ofThisThread()}): a caller fills the buffers, makes one bpf(2) call and
 * copies the result out before it returns, so nothing a caller keeps points into them. Bytes past the size
 * asked for are stale; the kernel reads and writes only the map's key and value sizes.
 */
final class ElementBuffers {

    private static final ThreadLocal<ElementBuffers> PER_THREAD = ThreadLocal.withInitial(ElementBuffers::new);

    private NativeBuffer key = NativeBuffer.allocate(8);
    private NativeBuffer value = NativeBuffer.allocate(8);

    private ElementBuffers() {
    }

    /** The calling thread's buffers. */
    static ElementBuffers ofThisThread() {
        return PER_THREAD.get();
    }

    /** The key buffer holding {@code bytes}. */
    NativeBuffer key(byte[] bytes) {
        key = fit(key, bytes.length);
        key.buffer().put(0, bytes);
        return key;
    }

    /** The value buffer, at least {@code size} bytes, for the kernel to fill. */
    NativeBuffer value(int size) {
        value = fit(value, size);
        return value;
    }

    /** The value buffer holding {@code bytes}. */
    NativeBuffer value(byte[] bytes) {
        NativeBuffer v = value(bytes.length);
        v.buffer().put(0, bytes);
        return v;
    }

    private static NativeBuffer fit(NativeBuffer current, int size) {
        return current.size() >= size ? current : NativeBuffer.allocate(size);
    }
}
