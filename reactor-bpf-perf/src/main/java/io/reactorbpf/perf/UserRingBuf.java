package io.reactorbpf.perf;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.MapInfo;
import io.reactorbpf.core.sys.MapType;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One {@code BPF_MAP_TYPE_USER_RINGBUF} map mapped for writing: user space produces, a BPF program consumes with
 * {@code bpf_user_ringbuf_drain}. The consumer page ({@code consumer_pos}, which the kernel advances) is mapped
 * read-only; the producer page and the data area, which the kernel maps twice in a row so that no record wraps,
 * read-write. Records are an 8-byte header ({@code u32 len}, {@code u32} unused) and the sample padded to 8 bytes.
 *
 * <p>Records are appended at a position only this writer knows, then published together by one release write of
 * {@code producer_pos}: the kernel reads nothing past it, so a record needs no BUSY bit while it is written.
 *
 * <p>Threading: one writing thread calls every method. Ownership: owns
 * its mappings, a descriptor of the map, and the claim on the map (one producer position, so one writer);
 * {@link #close()} releases them once, after the writing thread stopped.
 */
final class UserRingBuf implements AutoCloseable {

    static final int HEADER_SIZE = 8;
    // acquire/release access to the positions; the mappings are direct memory
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    final String name;
    final FileDescriptor fd;
    private final RingBufMapping mapping;
    private final ByteBuffer consumer;
    private final ByteBuffer producer;
    private final int dataOffset;
    private final int size;
    private final long mask;
    /** Writing thread only: where the next record goes; producer_pos once published. */
    private long appendAt;

    private UserRingBuf(RingBufMapping mapping) {
        this.name = mapping.name;
        this.fd = mapping.fd;
        this.mapping = mapping;
        this.consumer = mapping.consumer().order(ByteOrder.nativeOrder());
        this.producer = mapping.producer().order(ByteOrder.nativeOrder());
        this.dataOffset = mapping.pageSize;
        this.size = mapping.size;
        this.mask = size - 1;
        this.appendAt = (long) LONGS.get(producer, 0);
    }

    /**
     * Maps {@code map} for writing.
     *
     * @throws IllegalArgumentException if {@code map} is not a USER_RINGBUF, naming what it needs
     * @throws IllegalStateException if another writer holds the map
     */
    static UserRingBuf open(BpfMap map) {
        MapInfo info = MapInfo.of(map.fd());
        if (info.type() != MapType.USER_RINGBUF.value()) {
            throw new IllegalArgumentException("map '" + map.name() + "' is a " + info.mapType() + ", not a USER_RINGBUF"
                    + (info.type() == MapType.RINGBUF.value()
                    ? "; a RINGBUF is written by programs and read with RingBufStream or RingBuffer"
                    : "; a user ring buffer sink writes the map a program drains with bpf_user_ringbuf_drain()"));
        }
        return new UserRingBuf(RingBufMapping.map(map, info.maxEntries(),
                MapClaims.claim(info.id(), map.name(), MapClaims.WRITER), true, "user ring buffer"));
    }

    /** The data area's size in bytes (the map's max_entries). */
    int size() {
        return size;
    }

    /** The ring space a record of {@code length} bytes takes: header and padding included. */
    static long recordSpace(int length) {
        return (HEADER_SIZE + (long) length + 7) & ~7L;
    }

    /** {@code consumer_pos}, read with acquire ordering: how far the programs have drained. */
    long consumerPos() {
        // acquire: the kernel's reads of the records it drained happen before we reuse their space
        return (long) LONGS.getAcquire(consumer, 0);
    }

    /** Bytes free for records now, counting those appended and not yet published. */
    long free() {
        return size - (appendAt - consumerPos());
    }

    /**
     * Appends {@code value} as one record of at most {@code maxLength} bytes, unpublished; false when that much
     * space is not free.
     *
     * @throws IllegalStateException if the encoder wrote more than it was given
     */
    <T> boolean append(RecordEncoder<T> encoder, T value, int maxLength) {
        if (free() < recordSpace(maxLength)) {
            return false;
        }
        int at = dataOffset + (int) (appendAt & mask);
        int length = encoder.encode(value, producer, at + HEADER_SIZE, maxLength);
        if (length < 0 || length > maxLength) {
            throw new IllegalStateException("the encoder for user ring buffer '" + name + "' returned " + length
                    + " for a record of at most " + maxLength + " bytes");
        }
        producer.putInt(at, length).putInt(at + 4, 0);
        appendAt += recordSpace(length);
        return true;
    }

    /** Publishes every record appended so far with one release write of {@code producer_pos}. */
    void publish() {
        // release: the records' bytes are visible to the kernel before the position that covers them
        LONGS.setRelease(producer, 0, appendAt);
    }

    @Override
    public void close() {
        mapping.close();
    }
}
