package io.reactorbpf.perf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

import static io.reactorbpf.perf.PerfEventHeader.ALIGNMENT;
import static io.reactorbpf.perf.PerfEventMmapPage.DATA_HEAD;
import static io.reactorbpf.perf.PerfEventMmapPage.DATA_OFFSET;
import static io.reactorbpf.perf.PerfEventMmapPage.DATA_SIZE;
import static io.reactorbpf.perf.PerfEventMmapPage.DATA_TAIL;

/**
 * Reader of one perf event ring: the memory {@code mmap} gives for a {@code perf_event_open} descriptor, a
 * {@code perf_event_mmap_page} followed by a power-of-two data area that the kernel fills with records.
 *
 * <p>Threading: one thread (the poller) calls every method that touches ring memory ({@link #read},
 * {@link #snapshot}, {@link #dataHead}, {@link #dataTail}, {@link #isEmpty}); the kernel is the only other
 * party. {@link #counters()} and the fixed properties may be read from any thread.
 *
 * <p>Ownership: the ring does not own the mapping; whoever mapped it unmaps it, and only after the poller
 * has stopped calling this ring, because touching unmapped memory kills the process.
 *
 * <p>Each drain pass reads {@code data_head} once with acquire ordering, offers records in ring order until
 * the visitor declines one, and publishes {@code data_tail} once with release ordering, just past the last
 * record handed out. Records left over wait for the next pass, so demand bounds what leaves the ring and
 * the kernel's LOST records report what did not fit. A pass allocates nothing: records that wrap past the end
 * of the data area are stitched into a direct scratch buffer made with the ring.
 *
 * @since 0.1
 */
public final class PerfRing {

    // acquire/release access to the page's u64 fields; the mapping is direct memory, as these modes require
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final int SAMPLE_SIZE_FIELD = PerfEventHeader.SAMPLE_SIZE_FIELD;
    private static final int SAMPLE_DATA = PerfEventHeader.SAMPLE_DATA;
    private static final int LOST_COUNT_FIELD = PerfEventHeader.LOST_COUNT_FIELD;
    private static final int LOST_RECORD_SIZE = LOST_COUNT_FIELD + Long.BYTES;

    private final ByteBuffer mapping;
    private final ByteBuffer records;
    private final int cpu;
    private final int dataOffset;
    private final int dataSize;
    private final long mask;
    private final PerfRingCounters counters;
    /**
     * Where the kernel will write the LOST record it may owe, or -1: data_head at the start of a pass that found
     * the ring nearly full, so records may have been dropped since; cleared once a pass reads past it. The kernel
     * writes an owed LOST record only before the next record that fits in this ring. Poller thread only.
     */
    private long lostOwedAt = -1;
    /** The size of the last record read, to judge how full is too full to take another. Poller thread only. */
    private int lastRecordSize;

    /** Where wrapped records are stitched: direct like the ring, so handlers see one buffer class. */
    private final ByteBuffer scratch;
    private final ByteBuffer scratchRecords;

    /**
     * Reads the ring in {@code mapping}, which must cover the whole perf event mapping (the
     * {@code perf_event_mmap_page} and the data area after it). {@code pageSize} locates the data area when
     * the kernel predates {@code data_offset}/{@code data_size} (Linux 4.1) and leaves them zero.
     *
     * @throws IllegalArgumentException if {@code mapping} is not a direct buffer or is smaller than the page
     * @throws RingCorruptedException if {@code data_offset}/{@code data_size} do not describe a power-of-two
     *     data area inside the mapping
     */
    PerfRing(ByteBuffer mapping, int cpu, int pageSize) {
        this(mapping, cpu, pageSize, new PerfRingCounters());
    }

    /** As {@link #PerfRing(ByteBuffer, int, int)}, adding to {@code counters}, which another ring of the CPU may share. */
    PerfRing(ByteBuffer mapping, int cpu, int pageSize, PerfRingCounters counters) {
        this.counters = Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(mapping, "mapping");
        if (!mapping.isDirect()) {
            throw new IllegalArgumentException("a perf ring mapping must be a direct ByteBuffer (the mmap of a perf"
                    + " event); acquire/release access to data_head and data_tail needs direct memory");
        }
        if (mapping.capacity() < PerfEventMmapPage.MIN_SIZE || pageSize < PerfEventMmapPage.MIN_SIZE
                || pageSize >= mapping.capacity()) {
            throw new IllegalArgumentException("a perf ring mapping of " + mapping.capacity() + " bytes with page size "
                    + pageSize + " has no room for perf_event_mmap_page and a data area; map 1 + 2^n pages");
        }
        this.mapping = mapping.duplicate().order(ByteOrder.nativeOrder());
        this.records = mapping.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
        this.cpu = cpu;
        long offset = this.mapping.getLong(DATA_OFFSET);
        long size = this.mapping.getLong(DATA_SIZE);
        if (offset == 0 && size == 0) {
            offset = pageSize;
            size = mapping.capacity() - pageSize;
        }
        if (size < ALIGNMENT || Long.bitCount(size) != 1 || offset < PerfEventMmapPage.MIN_SIZE
                || offset % ALIGNMENT != 0 || offset + size > mapping.capacity()) {
            throw new RingCorruptedException(cpu, DATA_OFFSET, "perf_event_mmap_page says data_offset=" + offset
                    + " data_size=" + size + ", which is not a power-of-two data area inside the "
                    + mapping.capacity() + "-byte mapping");
        }
        this.dataOffset = (int) offset;
        this.dataSize = (int) size;
        this.mask = size - 1;
        // no record is longer than the u16 header size allows, nor than the data area
        this.scratch = ByteBuffer.allocateDirect(Math.min(dataSize, PerfEventHeader.MAX_RECORD_SIZE))
                .order(ByteOrder.nativeOrder());
        this.scratchRecords = scratch.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    /**
     * The CPU this ring belongs to; handed to every callback.
     *
     * @return the CPU number
     */
    public int cpu() {
        return cpu;
    }

    /**
     * Where the data area starts in the mapping.
     *
     * @return the byte offset, one page on every kernel seen so far
     */
    public int dataOffset() {
        return dataOffset;
    }

    /**
     * The data area's size in bytes, a power of two.
     *
     * @return the size
     */
    public int dataSize() {
        return dataSize;
    }

    /**
     * Totals of what this ring handed out; readable from any thread.
     *
     * @return the ring's live counters
     */
    public PerfRingCounters counters() {
        return counters;
    }

    /**
     * {@code data_head}, read with acquire ordering: how far the kernel has written. Poller thread only.
     *
     * @return the kernel's write position, a running byte count
     */
    public long dataHead() {
        // acquire: the records the kernel wrote before advancing data_head are visible to reads after this one
        return (long) LONGS.getAcquire(mapping, DATA_HEAD);
    }

    /**
     * {@code data_tail}: how far this reader has consumed. Poller thread only.
     *
     * @return the reader's position, a running byte count
     */
    public long dataTail() {
        // plain: only this reader writes data_tail, so its own last write is what a plain read returns
        return (long) LONGS.get(mapping, DATA_TAIL);
    }

    /**
     * Whether the kernel has written nothing the reader has not consumed: a memory peek, no syscall. Poller
     * thread only.
     *
     * @return true when data_head equals data_tail
     */
    public boolean isEmpty() {
        return dataHead() == dataTail();
    }

    /**
     * One drain pass, the only way records leave the ring: reads {@code data_head} once, offers the records
     * present then to {@code visitor} in ring order until it declines one, and publishes {@code data_tail} once,
     * just past the last record it took. A declined record and those after it stay for the next pass, so the
     * visitor decides how many records leave (its demand). Runs on the poller thread; see {@link RecordHandler}
     * for what the visitor may keep.
     *
     * @param visitor offered each record in turn; it takes a record by returning true
     * @return how many records the visitor took
     * @throws RingCorruptedException at a record the kernel cannot have written; the records before it were
     *     taken and consumed
     */
    public int read(RecordVisitor visitor) {
        Objects.requireNonNull(visitor, "visitor");
        long head = dataHead();
        long tail = dataTail();
        checkSpan(head, tail);
        counters.backlog(head - tail);
        if (dataSize - (head - tail) < Math.max(dataSize >>> 3, 2 * lastRecordSize)) {
            // nearly full: a record may not have fit since the last pass, and its LOST record will come at head
            lostOwedAt = head;
        }
        long position = tail;
        // few live values in the loop: samples are what was taken that is neither LOST nor another type
        int taken = 0;
        long lostRecords = 0;
        long lost = 0;
        long otherRecords = 0;
        try {
            while (position != head) {
                int at = (int) (position & mask);
                int index = dataOffset + at;
                long header = mapping.getLong(index);
                int type = type(header);
                int size = size(header);
                checkSize(position, head, type, misc(header), size);
                ByteBuffer record = records;
                int start = index;
                if (at + size > dataSize) {
                    record = stitch(index, dataSize - at, size);
                    start = 0;
                }
                // checked and taken before the visit, so a visitor that throws has consumed its record: it is
                // never replayed
                long lostCount = 0;
                if (type == PerfRecordType.SAMPLE) {
                    sampleLength(record, start, size, position);
                } else if (type == PerfRecordType.LOST) {
                    lostCount = lostCount(record, start, size, position);
                    lostRecords++;
                    lost += lostCount;
                } else {
                    otherRecords++;
                }
                position += size;
                taken++;
                if (!visitor.visit(cpu, type, misc(header), record, start, size)) {
                    // declined: the record stays for the next pass, at most once per pass
                    position -= size;
                    taken--;
                    if (type == PerfRecordType.LOST) {
                        lostRecords--;
                        lost -= lostCount;
                    } else if (type != PerfRecordType.SAMPLE) {
                        otherRecords--;
                    }
                    break;
                }
            }
        } finally {
            if (taken != 0) {
                // release: every read of the records handed out completes before the kernel may reuse their space
                LONGS.setRelease(mapping, DATA_TAIL, position);
                counters.add(taken - lostRecords - otherRecords, lostRecords, lost, otherRecords);
                lastRecordSize = (int) Math.min(Integer.MAX_VALUE, (position - tail) / taken);
            }
            if (lostOwedAt >= 0 && position > lostOwedAt) {
                lostOwedAt = -1;
            }
        }
        return taken;
    }

    /**
     * Whether the kernel may still owe this ring a LOST record: a pass found it nearly full, and no record written
     * since has been read. The kernel writes that record only before the next record that fits in this ring, so a
     * reader that moves its map slot away from this ring would never learn of those losses. Poller thread only.
     *
     * @return true while losses may be pending
     */
    boolean mayOweLost() {
        return lostOwedAt >= 0;
    }

    /**
     * Consumes every record present without handing any out, counting its samples as
     * {@link PerfRingCounters#discarded()}: what a reader that stops leaves behind. Returns the records consumed.
     * Poller thread only.
     *
     * @return the number of records consumed
     * @throws RingCorruptedException at a record the kernel cannot have written
     */
    public int discard() {
        long head = dataHead();
        long tail = dataTail();
        checkSpan(head, tail);
        long position = tail;
        int consumed = 0;
        long samples = 0;
        while (position != head) {
            int at = (int) (position & mask);
            long header = mapping.getLong(dataOffset + at);
            int size = size(header);
            checkSize(position, head, type(header), misc(header), size);
            if (type(header) == PerfRecordType.SAMPLE) {
                samples++;
            }
            position += size;
            consumed++;
        }
        if (position != tail) {
            // release: as in read, the kernel may reuse the space only after this reader is done with it
            LONGS.setRelease(mapping, DATA_TAIL, position);
            counters.discard(samples);
        }
        return consumed;
    }

    /**
     * A drain pass handing at most {@code maxRecords} records to {@code handler}, decoded as libbpf's
     * {@code perf_buffer__new} does; {@link #read} with {@link RecordVisitor#decoding}.
     *
     * @param maxRecords the most records to hand out in this pass: the reader's demand
     * @param handler gets each sample and lost count, on the calling (poller) thread
     * @return how many records were handed out
     * @throws RingCorruptedException at a record the kernel cannot have written
     */
    public int drain(int maxRecords, RecordHandler handler) {
        return read(RecordVisitor.limit(maxRecords, RecordVisitor.decoding(handler)));
    }

    /**
     * A drain pass handing at most {@code maxRecords} records whole, header included, to {@code handler}, as
     * libbpf's {@code perf_buffer__new_raw} does; {@link #read} with {@link RecordVisitor#raw}.
     *
     * @param maxRecords the most records to hand out in this pass: the reader's demand
     * @param handler gets each record whole, on the calling (poller) thread
     * @return how many records were handed out
     * @throws RingCorruptedException at a record the kernel cannot have written
     */
    public int drainRaw(int maxRecords, RawRecordHandler handler) {
        return read(RecordVisitor.limit(maxRecords, RecordVisitor.raw(handler)));
    }

    /**
     * Reads an overwritable ({@code write_backward}) ring, newest record first: the kernel writes such rings
     * toward lower addresses from {@code data_head} and overwrites the oldest records, so the records from
     * data_head up to one ring's length later are the newest ones, whole until the first that was partly
     * overwritten or never written (a zero header). Consumes nothing (the mapping is read-only). Pause the
     * event's output around the call so the kernel does not overwrite what is being read. Stops early where
     * {@code visitor} declines a record.
     *
     * @param visitor offered each record, newest first; it takes a record by returning true
     * @return how many records the visitor took
     */
    public int snapshot(RecordVisitor visitor) {
        Objects.requireNonNull(visitor, "visitor");
        long head = dataHead();
        long end = head + dataSize;
        long position = head;
        int taken = 0;
        while (end - position >= PerfEventHeader.BYTES) {
            int at = (int) (position & mask);
            int index = dataOffset + at;
            long header = mapping.getLong(index);
            int type = type(header);
            int size = size(header);
            if (size < PerfEventHeader.BYTES || size % ALIGNMENT != 0 || size > end - position) {
                break;
            }
            ByteBuffer record = records;
            int start = index;
            if (at + size > dataSize) {
                record = stitch(index, dataSize - at, size);
                start = 0;
            }
            check(type, record, start, size, position);
            if (!visitor.visit(cpu, type, misc(header), record, start, size)) {
                break;
            }
            position += size;
            taken++;
        }
        return taken;
    }

    /** Checks a SAMPLE's raw size or a LOST record's length against the record; returns a LOST record's count. */
    private long check(int type, ByteBuffer record, int start, int size, long position) {
        if (type == PerfRecordType.SAMPLE) {
            sampleLength(record, start, size, position);
        } else if (type == PerfRecordType.LOST) {
            return lostCount(record, start, size, position);
        }
        return 0;
    }

    private void checkSpan(long head, long tail) {
        if (tail % ALIGNMENT != 0) {
            throw new RingCorruptedException(cpu, tail, "data_tail is not 8-byte aligned");
        }
        long available = head - tail;
        if (available < 0 || available > dataSize) {
            throw new RingCorruptedException(cpu, tail, "data_head " + head + " is not between data_tail " + tail
                    + " and data_tail + data_size " + dataSize);
        }
    }

    private void checkSize(long position, long head, int type, int misc, int size) {
        if (size < PerfEventHeader.BYTES || size % ALIGNMENT != 0 || size > head - position) {
            throw new RingCorruptedException(cpu, position, "record header {type=" + PerfRecordType.name(type)
                    + ", misc=" + misc + ", size=" + size + "} at data area offset " + (position & mask)
                    + " is impossible: a size must be a multiple of 8 from 8 up to the " + (head - position)
                    + " bytes written before data_head");
        }
    }

    // perf_event_header {u32 type; u16 misc; u16 size} is read as one native-order u64: one load per record, not three
    private static int type(long header) {
        return LITTLE_ENDIAN ? (int) header : (int) (header >>> 32);
    }

    private static int misc(long header) {
        return (int) (LITTLE_ENDIAN ? header >>> 32 : header >>> 16) & 0xFFFF;
    }

    private static int size(long header) {
        return (int) (LITTLE_ENDIAN ? header >>> 48 : header) & 0xFFFF;
    }

    private int sampleLength(ByteBuffer record, int start, int size, long position) {
        if (size < SAMPLE_DATA) {
            throw new RingCorruptedException(cpu, position, "SAMPLE record of size " + size
                    + " has no room for its u32 raw size; the event must use sample_type PERF_SAMPLE_RAW only");
        }
        int length = record.getInt(start + SAMPLE_SIZE_FIELD);
        if (length < 0 || length > size - SAMPLE_DATA) {
            throw new RingCorruptedException(cpu, position, "SAMPLE record of size " + size + " claims "
                    + Integer.toUnsignedString(length) + " raw bytes, more than the record holds; the event must"
                    + " use sample_type PERF_SAMPLE_RAW only");
        }
        return length;
    }

    private long lostCount(ByteBuffer record, int start, int size, long position) {
        if (size < LOST_RECORD_SIZE) {
            throw new RingCorruptedException(cpu, position, "LOST record of size " + size
                    + " has no room for its u64 id and u64 lost");
        }
        return record.getLong(start + LOST_COUNT_FIELD);
    }

    /** Copies a record that runs past the end of the data area, end first then start, into the scratch buffer. */
    private ByteBuffer stitch(int index, int firstPart, int size) {
        scratch.put(0, mapping, index, firstPart);
        scratch.put(firstPart, mapping, dataOffset, size - firstPart);
        return scratchRecords;
    }

    @Override
    public String toString() {
        return "PerfRing[cpu=" + cpu + ", dataOffset=" + dataOffset + ", dataSize=" + dataSize + "]";
    }
}
