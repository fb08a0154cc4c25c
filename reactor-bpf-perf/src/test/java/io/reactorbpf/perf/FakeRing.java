package io.reactorbpf.perf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Test-side stand-in for the kernel's side of a perf ring: a direct native-order buffer laid out as a perf
 * event mapping, written the way the kernel writes it (8-byte aligned records that wrap at the data area's
 * end, raw samples padded with zeros, data_head advanced after each record, no write that would overrun
 * data_tail). Single-threaded, like the tests that use it.
 */
final class FakeRing {

    static final int PAGE_SIZE = 4096;

    private final ByteBuffer memory;
    private final int dataOffset;
    private final int dataSize;
    private long head;

    private FakeRing(ByteBuffer memory, int dataSize, boolean describeDataArea) {
        this.memory = memory.order(ByteOrder.nativeOrder());
        this.dataOffset = PAGE_SIZE;
        this.dataSize = dataSize;
        if (describeDataArea) {
            this.memory.putLong(PerfEventMmapPage.DATA_OFFSET, PAGE_SIZE);
            this.memory.putLong(PerfEventMmapPage.DATA_SIZE, dataSize);
        }
    }

    /** A mapping of one page plus a {@code dataSize}-byte data area, described as Linux 4.1 and later do. */
    static FakeRing withDataSize(int dataSize) {
        return new FakeRing(ByteBuffer.allocateDirect(PAGE_SIZE + dataSize), dataSize, true);
    }

    /** A mapping whose page leaves data_offset and data_size zero, as kernels before Linux 4.1 do. */
    static FakeRing legacy(int dataSize) {
        return new FakeRing(ByteBuffer.allocateDirect(PAGE_SIZE + dataSize), dataSize, false);
    }

    /** The bytes a reader delivers for a sample of {@code data}: the data and the kernel's zero padding. */
    static byte[] delivered(byte[] data) {
        return Arrays.copyOf(data, sampleRecordSize(data.length) - 12);
    }

    /** The size of the SAMPLE record the kernel writes for {@code length} bytes of raw data. */
    static int sampleRecordSize(int length) {
        return align(8 + 4 + length);
    }

    /** {@code length} bytes that differ from their neighbours and from another seed's, none of them zero. */
    static byte[] payload(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (1 + Math.floorMod(i * 31 + seed * 7, 255));
        }
        return bytes;
    }

    static int align(int size) {
        return (size + 7) & ~7;
    }

    ByteBuffer memory() {
        return memory;
    }

    int dataSize() {
        return dataSize;
    }

    /** A reader of this mapping for {@code cpu}. */
    PerfRing reader(int cpu) {
        return new PerfRing(memory, cpu, PAGE_SIZE);
    }

    /** Empties the ring with both data_head and data_tail at {@code position}, where the next record starts. */
    FakeRing at(long position) {
        head = position;
        memory.putLong(PerfEventMmapPage.DATA_HEAD, position);
        memory.putLong(PerfEventMmapPage.DATA_TAIL, position);
        return this;
    }

    long head() {
        return head;
    }

    long tail() {
        return memory.getLong(PerfEventMmapPage.DATA_TAIL);
    }

    /** Moves data_tail back (or anywhere), as if the reader had not consumed past {@code position}. */
    void rewindTail(long position) {
        memory.putLong(PerfEventMmapPage.DATA_TAIL, position);
    }

    /** Bytes the kernel may still write before reaching data_tail. */
    long free() {
        return dataSize - (head - tail());
    }

    /** Writes a PERF_RECORD_SAMPLE carrying {@code data} as PERF_SAMPLE_RAW; false if it does not fit. */
    boolean sample(byte[] data) {
        return forgeSample(data, sampleRecordSize(data.length) - 12);
    }

    /** Writes a SAMPLE whose u32 raw size says {@code rawSize}, whatever the record holds. */
    boolean forgeSample(byte[] data, int rawSize) {
        ByteBuffer record = header(PerfRecordType.SAMPLE, 0, sampleRecordSize(data.length));
        record.putInt(8, rawSize);
        record.put(12, data);
        return write(record);
    }

    /** Writes a PERF_RECORD_LOST; false if it does not fit. */
    boolean lost(long id, long lost) {
        ByteBuffer record = header(PerfRecordType.LOST, 0, 24);
        record.putLong(8, id);
        record.putLong(16, lost);
        return write(record);
    }

    /** Writes a record of any type with {@code body} after its header, zero-padded to 8 bytes. */
    boolean record(int type, int misc, byte[] body) {
        ByteBuffer record = header(type, misc, align(8 + body.length));
        record.put(8, body);
        return write(record);
    }

    /**
     * Writes a record header claiming {@code size} bytes, followed by zeros, and advances data_head by
     * {@code advance} bytes: the means to write what the kernel never would.
     */
    void forge(int type, int size, int advance) {
        ByteBuffer bytes = ByteBuffer.allocate(Math.max(advance, 8)).order(ByteOrder.nativeOrder());
        bytes.putInt(0, type);
        bytes.putShort(6, (short) size);
        copyIn(bytes.array(), advance);
    }

    /** Sets data_head to any value, as a corrupted page would hold. */
    void forgeHead(long value) {
        head = value;
        memory.putLong(PerfEventMmapPage.DATA_HEAD, value);
    }

    private static ByteBuffer header(int type, int misc, int size) {
        ByteBuffer record = ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
        record.putInt(0, type);
        record.putShort(4, (short) misc);
        record.putShort(6, (short) size);
        return record;
    }

    private boolean write(ByteBuffer record) {
        byte[] bytes = record.array();
        if (bytes.length > PerfEventHeader.MAX_RECORD_SIZE) {
            throw new IllegalArgumentException("a perf record cannot be " + bytes.length + " bytes long");
        }
        if (bytes.length > free()) {
            return false;
        }
        copyIn(bytes, bytes.length);
        return true;
    }

    private void copyIn(byte[] bytes, int advance) {
        for (int i = 0; i < advance; i++) {
            memory.put(dataOffset + (int) ((head + i) & (dataSize - 1)), i < bytes.length ? bytes[i] : 0);
        }
        forgeHead(head + advance);
    }
}
