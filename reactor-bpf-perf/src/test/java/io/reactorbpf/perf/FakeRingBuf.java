package io.reactorbpf.perf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Test-side stand-in for the kernel's side of a BPF ring buffer: a direct consumer page and a direct producer
 * page followed by the data area written twice in a row, as the kernel's double mapping shows it, so a record
 * that wraps is contiguous to the reader. Records are reserved (BUSY), then committed or discarded, as
 * {@code bpf_ringbuf_reserve}/{@code submit}/{@code discard} do. Single-threaded, like the tests that use it.
 */
final class FakeRingBuf {

    static final int PAGE_SIZE = 4096;

    private final ByteBuffer consumer = ByteBuffer.allocateDirect(PAGE_SIZE).order(ByteOrder.nativeOrder());
    private final ByteBuffer producer;
    private final int size;
    private long prod;

    FakeRingBuf(int size) {
        this.size = size;
        this.producer = ByteBuffer.allocateDirect(PAGE_SIZE + 2 * size).order(ByteOrder.nativeOrder());
    }

    RingBuf reader() {
        return new RingBuf(consumer, producer, PAGE_SIZE, size, "fake");
    }

    /** Moves both positions to {@code position}, as if that much had been written and read. */
    FakeRingBuf at(long position) {
        prod = position;
        consumer.putLong(0, position);
        producer.putLong(0, position);
        return this;
    }

    long free() {
        return size - (prod - consumer.getLong(0));
    }

    long consumerPos() {
        return consumer.getLong(0);
    }

    /** Reserves a record for {@code data} and returns its position; BUSY until committed. */
    long reserve(byte[] data) {
        long total = (RingBuf.HEADER_SIZE + data.length + 7) & ~7L;
        if (total > free()) {
            throw new IllegalStateException("no room: the kernel's reserve would fail");
        }
        long at = prod;
        putInt(at, data.length | RingBuf.BUSY_BIT);
        putInt(at + 4, 0);
        for (int i = 0; i < data.length; i++) {
            putByte(at + RingBuf.HEADER_SIZE + i, data[i]);
        }
        prod += total;
        producer.putLong(0, prod);
        return at;
    }

    void commit(long at) {
        putInt(at, getInt(at) & ~RingBuf.BUSY_BIT);
    }

    void discard(long at) {
        putInt(at, (getInt(at) & ~RingBuf.BUSY_BIT) | RingBuf.DISCARD_BIT);
    }

    /** Reserves and commits. */
    long write(byte[] data) {
        long at = reserve(data);
        commit(at);
        return at;
    }

    /** Overwrites the header at {@code at}, as a corrupting writer would. */
    void forgeLength(long at, int len) {
        putInt(at, len);
    }

    private int getInt(long pos) {
        return producer.getInt(PAGE_SIZE + (int) (pos & (size - 1)));
    }

    private void putInt(long pos, int v) {
        for (int i = 0; i < 4; i++) {
            putByte(pos + i, (byte) (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? v >>> (8 * i) : v >>> (24 - 8 * i)));
        }
    }

    /** Writes one byte at ring position {@code pos}: the same byte appears in both copies of the data area. */
    private void putByte(long pos, byte b) {
        int off = (int) (pos & (size - 1));
        producer.put(PAGE_SIZE + off, b);
        producer.put(PAGE_SIZE + size + off, b);
    }
}
