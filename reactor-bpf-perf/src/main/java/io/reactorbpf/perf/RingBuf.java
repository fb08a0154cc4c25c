package io.reactorbpf.perf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Reader of one BPF ring buffer ({@code BPF_MAP_TYPE_RINGBUF}): the consumer page (mapped read-write, holding
 * {@code consumer_pos}) and the producer page (read-only, {@code producer_pos}) followed by the data area, which
 * the kernel maps twice in a row so that no record wraps in the mapping. Records are an 8-byte header
 * ({@code u32 len} with the BUSY and DISCARD bits, {@code u32 pg_off}) and the sample, padded to 8 bytes.
 *
 * <p>Threading: one thread calls every method that touches ring memory ({@link #read}, {@link #producerPos},
 * {@link #consumerPos}, {@link #isEmpty}); the kernel's producers are the other parties. {@link #counters()} and
 * the fixed properties may be read from any thread.
 *
 * <p>Ownership: the ring does not own its mappings; whoever mapped them unmaps them, after the reading thread
 * has stopped calling this ring.
 *
 * <p>A pass reads {@code producer_pos} once with acquire ordering, then each record's header with acquire
 * ordering (a producer commits a record by clearing its BUSY bit with release ordering, in any order across
 * CPUs): a record still BUSY ends the pass, one with DISCARD set is skipped, the rest are offered to the visitor
 * until it declines one. {@code consumer_pos} is published once, with release ordering, past the last record
 * taken or skipped. A pass allocates nothing.
 *
 * <p>Losses: the kernel counts no failed reserve. When the programs writing to the map count theirs (the loader's
 * {@link io.reactorbpf.core.map.LossCounter}, given with {@link #countLosses}), a pass that took every committed
 * sample offers the counter's growth since the last loss taken to the visitor's {@link SampleVisitor#lost}, after
 * the samples, which were in the ring when the reserves failed.
 *
 * @since 0.1
 */
public final class RingBuf {

    /** The cpu a ring buffer's samples are handed with: one ring serves every CPU. */
    public static final int NO_CPU = -1;
    /** {@code BPF_RINGBUF_BUSY_BIT}: the record is reserved and not yet committed. */
    static final int BUSY_BIT = 1 << 31;
    /** {@code BPF_RINGBUF_DISCARD_BIT}: the program discarded the record; it is skipped. */
    static final int DISCARD_BIT = 1 << 30;
    /** {@code BPF_RINGBUF_HDR_SZ}. */
    static final int HEADER_SIZE = 8;

    // acquire/release access to the positions and the record headers; the mappings are direct memory
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final ByteBuffer consumer;
    private final ByteBuffer producer;
    private final ByteBuffer samples;
    private final int dataOffset;
    private final int size;
    private final long mask;
    private final String name;
    private final PerfRingCounters counters = new PerfRingCounters();
    /** Reading thread only: the position past the sample being visited, while a visitor runs. */
    private long visitingEnd = -1;
    /** Reading thread only: {@link #surrender()} ran; consumer_pos is no longer this reader's. */
    private boolean surrendered;
    /** The mapped loss counters and this ring's offset in them; null when the programs count no losses. */
    private ByteBuffer lossCounters;
    private int lossOffset;
    /** Reading thread only: the counter's value when a loss was last taken (or counting began). */
    private long lossSeen;

    /**
     * Reads the ring buffer of {@code size} data bytes (the map's max_entries, a power of two) whose consumer
     * page is {@code consumerPage} and whose producer page and double-mapped data area are
     * {@code producerPages} ({@code pageSize + 2 * size} bytes). {@code name} names the map in errors.
     *
     * @param consumerPage the map's writable first page, holding consumer_pos; still owned by whoever mapped it
     * @param producerPages the read-only mapping of the producer page and the data area mapped twice
     * @param pageSize the page size, where the data area starts in {@code producerPages}
     * @param size the data area's size in bytes, the map's max_entries
     * @param name the map's name, for errors
     * @throws IllegalArgumentException if a mapping is not direct or too small, or {@code size} is not a power
     *     of two that is a multiple of the page size
     */
    RingBuf(ByteBuffer consumerPage, ByteBuffer producerPages, int pageSize, int size, String name) {
        Objects.requireNonNull(consumerPage, "consumerPage");
        Objects.requireNonNull(producerPages, "producerPages");
        if (!consumerPage.isDirect() || !producerPages.isDirect()) {
            throw new IllegalArgumentException("ring buffer '" + name + "': the mappings must be direct ByteBuffers"
                    + " (the mmap of the map); acquire/release access needs direct memory");
        }
        if (size <= 0 || Integer.bitCount(size) != 1 || size % pageSize != 0 || size > (1 << 30)) {
            throw new IllegalArgumentException("ring buffer '" + name + "' has max_entries " + size
                    + ": the kernel needs a power of two and a multiple of the " + pageSize + "-byte page");
        }
        if (consumerPage.capacity() < Long.BYTES || producerPages.capacity() < pageSize + 2L * size) {
            throw new IllegalArgumentException("ring buffer '" + name + "': a consumer page of "
                    + consumerPage.capacity() + " bytes and " + producerPages.capacity() + " bytes of producer page and"
                    + " data cannot hold a " + size + "-byte ring mapped twice; map " + pageSize + " and "
                    + (pageSize + 2L * size) + " bytes");
        }
        this.consumer = consumerPage.duplicate().order(ByteOrder.nativeOrder());
        this.producer = producerPages.duplicate().order(ByteOrder.nativeOrder());
        this.samples = producerPages.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
        this.dataOffset = pageSize;
        this.size = size;
        this.mask = size - 1;
        this.name = name;
    }

    /**
     * The data area's size in bytes (the map's max_entries).
     *
     * @return the size, a power of two
     */
    public int size() {
        return size;
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
     * Takes losses from the u64 at {@code offset} in {@code counters} (a read-only mapping of the programs' loss
     * counter array) from now on: what the counter grows by from here is offered as lost. Reading thread only.
     *
     * @param counters a direct, read-only mapping of the loss counter array's value; owned by whoever mapped it
     * @param offset the counter's byte offset in it
     * @throws IllegalArgumentException when the mapping is not direct or the u64 does not lie inside it
     */
    void countLosses(ByteBuffer counters, int offset) {
        if (!counters.isDirect() || offset < 0 || offset + Long.BYTES > counters.capacity()) {
            throw new IllegalArgumentException("ring buffer '" + name + "': a loss counter is a u64 inside a direct"
                    + " mapping, not offset " + offset + " of " + counters);
        }
        lossCounters = counters.duplicate().order(ByteOrder.nativeOrder());
        lossOffset = offset;
        lossSeen = lossCount();
    }

    /**
     * Whether the programs count this ring's losses ({@link #countLosses} was called).
     *
     * @return true when losses are counted
     */
    public boolean countsLosses() {
        return lossCounters != null;
    }

    /**
     * Whether the loss counter grew since the last loss taken. Reading thread only.
     *
     * @return true when a loss waits to be offered
     */
    public boolean lossPending() {
        return lossCounters != null && lossCount() != lossSeen;
    }

    private long lossCount() {
        // acquire: the programs add with atomic instructions; the newest total is what is wanted
        return (long) LONGS.getAcquire(lossCounters, lossOffset);
    }

    /**
     * {@code producer_pos}, read with acquire ordering: how far producers have reserved. Reading thread only.
     *
     * @return the producers' position, a running byte count
     */
    public long producerPos() {
        // acquire: the headers written before producer_pos advanced are visible to reads after this one
        return (long) LONGS.getAcquire(producer, 0);
    }

    /**
     * {@code consumer_pos}: how far this reader has consumed. Reading thread only.
     *
     * @return the reader's position, a running byte count
     */
    public long consumerPos() {
        // plain: only this reader writes consumer_pos, so its own last write is what a plain read returns
        return (long) LONGS.get(consumer, 0);
    }

    /**
     * Whether producers have reserved nothing this reader has not consumed: a memory peek, no syscall. Reading
     * thread only.
     *
     * @return true when producer_pos equals consumer_pos
     */
    public boolean isEmpty() {
        return producerPos() == consumerPos();
    }

    /**
     * Bytes reserved and not yet consumed (libbpf's ring__avail_data_size). Reading thread only.
     *
     * @return producer_pos minus consumer_pos, headers and records still BUSY included
     */
    public long availableBytes() {
        return producerPos() - consumerPos();
    }

    /**
     * One pass, the only way samples leave the ring: offers the committed samples present now to {@code visitor}
     * in ring order until it declines one or a record is still BUSY, skips discarded records, and publishes
     * {@code consumer_pos} once. Returns how many samples the visitor took.
     *
     * @param visitor offered each committed sample, and the losses counted since the last pass
     * @return how many samples the visitor took
     * @throws RingCorruptedException if a record's length or the positions cannot come from the kernel
     */
    public int read(SampleVisitor visitor) {
        if (surrendered) {
            return 0;
        }
        long start = consumerPos();
        long cons = start;
        long prod = producerPos();
        if (prod - cons < 0 || prod - cons > size) {
            throw corrupted(cons, "producer_pos " + prod + " is not between consumer_pos " + cons
                    + " and consumer_pos + " + size);
        }
        int taken = 0;
        boolean declined = false;
        try {
            while (cons < prod) {
                int at = dataOffset + (int) (cons & mask);
                // acquire: pairs with the producer's release of the header, so the sample bytes are complete
                int len = (int) INTS.getAcquire(producer, at);
                if ((len & BUSY_BIT) != 0) {
                    break;
                }
                int length = len & ~(BUSY_BIT | DISCARD_BIT);
                long next = cons + ((HEADER_SIZE + (long) length + 7) & ~7L);
                if (next > prod) {
                    throw corrupted(cons, "a record of " + length + " bytes runs past producer_pos " + prod);
                }
                if ((len & DISCARD_BIT) == 0) {
                    boolean took;
                    visitingEnd = next;
                    try {
                        took = visitor.visit(samples, at + HEADER_SIZE, length);
                    } catch (RuntimeException | Error e) {
                        taken++;
                        cons = next;
                        throw e;
                    } finally {
                        visitingEnd = -1;
                    }
                    if (!took) {
                        declined = true;
                        break;
                    }
                    taken++;
                }
                cons = next;
                if (surrendered) {
                    break;
                }
            }
        } finally {
            if (cons != start && !surrendered) {
                // release: our reads of the records happen before producers may reuse their space
                LONGS.setRelease(consumer, 0, cons);
            }
            counters.add(taken, 0, 0, 0);
            counters.backlog(prod - cons);
        }
        if (!declined && !surrendered && lossPending()) {
            long now = lossCount();
            if (visitor.lost(now - lossSeen)) {
                counters.add(0, 1, now - lossSeen, 0);
                lossSeen = now;
            }
        }
        return taken;
    }

    /**
     * Gives the ring up for good, also from inside a visitor: {@code consumer_pos} is published past the sample
     * being visited (or left where it is between passes) and this reader never writes it again, so another
     * reader may take the map over at once without either reading a sample twice. Reading thread only.
     */
    void surrender() {
        if (!surrendered) {
            surrendered = true;
            if (visitingEnd >= 0) {
                LONGS.setRelease(consumer, 0, visitingEnd);
            }
        }
    }

    private RingCorruptedException corrupted(long position, String what) {
        return new RingCorruptedException("ring buffer '" + name + "' is corrupted at position " + position + ": "
                + what + ". The ring cannot be read past this point; close and reopen the reader", position);
    }
}
