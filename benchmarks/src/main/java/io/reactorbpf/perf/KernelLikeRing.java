package io.reactorbpf.perf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A direct buffer laid out as the kernel lays out a perf event mapping (a {@code perf_event_mmap_page}, then a
 * power-of-two data area) holding {@code records} SAMPLE records of {@code sampleSize} bytes each, written
 * from a start position so that, when it is near the end of the data area, records wrap past it.
 * {@link #rewind()} puts {@code data_tail} back so the same records can be drained again. One thread. In the perf package because a ring over memory of its own is not public API.
 */
public final class KernelLikeRing {

    private static final int PAGE = 4096;
    private static final int SAMPLE = 9;

    private final ByteBuffer mapping;
    private final PerfRing ring;
    private final long start;

    public KernelLikeRing(int dataPages, int sampleSize, int records, boolean wrap) {
        int dataSize = dataPages * PAGE;
        int recordSize = (8 + 4 + sampleSize + 7) & ~7;
        if ((long) recordSize * records > dataSize) {
            throw new IllegalArgumentException(records + " records of " + recordSize + " bytes exceed the "
                    + dataSize + "-byte data area");
        }
        this.mapping = ByteBuffer.allocateDirect(PAGE + dataSize).order(ByteOrder.nativeOrder());
        mapping.putLong(PerfEventMmapPage.DATA_OFFSET, PAGE).putLong(PerfEventMmapPage.DATA_SIZE, dataSize);
        // with wrap, start half a record before the end so the first record and one every lap straddle it
        this.start = wrap ? dataSize - (recordSize / 2 & ~7) : 0;
        long position = start;
        for (int i = 0; i < records; i++) {
            byte[] record = new byte[recordSize];
            ByteBuffer r = ByteBuffer.wrap(record).order(ByteOrder.nativeOrder());
            r.putInt(0, SAMPLE).putShort(6, (short) recordSize).putInt(8, recordSize - 12);
            r.putLong(12, i).putLong(20, System.nanoTime());
            for (int b = 0; b < recordSize; b++) {
                mapping.put(PAGE + (int) ((position + b) & (dataSize - 1)), record[b]);
            }
            position += recordSize;
        }
        mapping.putLong(PerfEventMmapPage.DATA_HEAD, position);
        rewind();
        this.ring = new PerfRing(mapping, 0, PAGE);
    }

    public void rewind() {
        mapping.putLong(PerfEventMmapPage.DATA_TAIL, start);
    }

    public PerfRing ring() {
        return ring;
    }
}
