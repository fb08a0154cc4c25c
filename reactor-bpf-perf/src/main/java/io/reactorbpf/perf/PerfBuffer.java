package io.reactorbpf.perf;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.sys.FileDescriptor;

import java.util.Objects;

/**
 * Per-CPU perf rings for one {@code PERF_EVENT_ARRAY} map, read by blocking calls: libbpf's
 * {@code struct perf_buffer} ({@link #open} = perf_buffer__new, {@link #openRaw} = __new_raw, {@link #poll} =
 * __poll, {@link #consume} = __consume, {@link #consumeBuffer} = __consume_buffer, {@link #bufferCount},
 * {@link #bufferFd}, {@link #epollFd}, {@link #close} = __free). Opening stores each ring's perf event in the
 * map slot of its CPU, so the BPF program's {@code bpf_perf_event_output(ctx, &map, BPF_F_CURRENT_CPU, ...)}
 * lands in the ring of the CPU it runs on.
 *
 * <p>Threading: the reading calls ({@link #poll}, the consume calls, {@link #snapshot}, {@link #hasData},
 * {@link #finish}) run one thread at a time (a second thread waits its turn), and the handler runs on that
 * thread; it must not call them again. The rings' owner is whichever thread is inside such a call.
 * {@link #pause}, {@link #resume}, {@link #wakeup} and {@link #close} may be called from any thread at any time:
 * when no reading call runs they act at once, otherwise the reading thread applies them as its call returns
 * (a running {@code poll} is woken and stops before its next record). {@link #close} from another thread waits
 * for that; the reading call that was running returns normally, and every later one throws
 * {@link PerfBufferClosedException}. Ring memory is unmapped only by the thread that owns the rings.
 *
 * <p>Ownership: the buffer owns its rings, their mappings and perf event descriptors, its epoll instance and
 * eventfd, and a duplicate of the map descriptor; {@link #close()} releases them exactly once, after clearing
 * the map slots it set. Closing the map (or the object it belongs to) closes the buffer.
 *
 * <p>Backpressure: records stay in the rings until consumed; when a ring is full the kernel drops samples and
 * reports them in a LOST record, which reaches the handler's {@code onLost}.
 *
 * @since 0.1
 */
public final class PerfBuffer implements AutoCloseable {

    private final RingSet rings;
    private final RecordVisitor reader;
    private final RecordHandler handler;
    private final AutoCloseable mapWatch;
    private final Ownership ownership;
    private volatile boolean pauseWanted;
    /** Written by the owner: {@link #finish()} has run. */
    private volatile boolean finished;

    private PerfBuffer(RingSet rings, RecordVisitor visitor, RecordHandler handler, BpfMap map) {
        this.rings = rings;
        this.handler = handler;
        this.ownership = new Ownership("perf buffer of map '" + map.name() + "'", new Owner());
        // a close request ends the pass before the next record, so close() from another thread waits one record at most
        this.reader = (cpu, type, misc, record, offset, length) ->
                !ownership.closing() && visitor.visit(cpu, type, misc, record, offset, length);
        rings.onOffline(this.reader);
        this.mapWatch = map.onClose(() -> ownership.post("map '" + map.name() + "' was closed"));
    }

    /**
     * Opens the rings now for blocking use (libbpf's perf_buffer__new): samples and lost counts go to
     * {@code handler} from {@link #poll} and the consume calls, on the calling thread.
     *
     * @param map the PERF_EVENT_ARRAY the programs write to; still owned by the caller, and closing it closes
     *        the buffer
     * @param options ring size, wakeups, CPUs and the rest; {@link PerfBufferOptions#defaults()} suits most
     * @param handler gets each sample's data and each lost count, on the thread of the reading call
     * @return the buffer, owned by the caller, who closes it
     * @throws IllegalArgumentException if {@code map} is not a PERF_EVENT_ARRAY
     * @throws IllegalStateException if another buffer or stream reads the map
     * @throws io.reactorbpf.core.sys.SyscallException when perf_event_open, mmap or the map update fails; a
     *         {@link io.reactorbpf.core.sys.LockedMemoryException} when the locked-memory limit refuses the rings
     */
    public static PerfBuffer open(BpfMap map, PerfBufferOptions options, RecordHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return open(map, options, RecordVisitor.decoding(handler), handler);
    }

    /**
     * Opens the rings now for blocking use with every record whole (libbpf's perf_buffer__new_raw).
     *
     * @param map the PERF_EVENT_ARRAY the programs write to; still owned by the caller
     * @param options ring size, wakeups, CPUs, and for the raw variant the perf event attributes
     * @param handler gets every record (samples, lost records, any other type the event writes) on the thread
     *        of the reading call; the record's memory is valid only during the call
     * @return the buffer, owned by the caller, who closes it
     * @throws IllegalArgumentException if {@code map} is not a PERF_EVENT_ARRAY or a key is outside it
     * @throws IllegalStateException if another buffer or stream reads the map
     * @throws io.reactorbpf.core.sys.SyscallException when perf_event_open, mmap or the map update fails
     */
    public static PerfBuffer openRaw(BpfMap map, PerfBufferOptions options, RawRecordHandler handler) {
        return open(map, options, RecordVisitor.raw(handler), null);
    }

    private static PerfBuffer open(BpfMap map, PerfBufferOptions options, RecordVisitor visitor,
                                   RecordHandler handler) {
        RingSet rings = RingSet.open(map, options, false);
        try {
            return new PerfBuffer(rings, visitor, handler, map);
        } catch (RuntimeException | Error e) {
            rings.close();
            throw e;
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever) for rings the kernel has woken the reader for, then
     * consumes each of them whole. Returns how many records were handled; 0 after a timeout, a {@link #wakeup()}
     * with no ring ready, or once {@link #finish()} has run. Also follows CPU hotplug as the kernel announces it.
     *
     * @param timeoutMillis the longest wait in milliseconds, 0 to not wait, -1 to wait until woken
     * @return the number of records handed to the handler
     * @throws PerfBufferClosedException once the buffer is closed
     * @throws RingCorruptedException when a ring holds a record the kernel cannot have written
     */
    public int poll(int timeoutMillis) {
        return ownership.owned(() -> finished ? 0 : Math.max(0, rings.await(timeoutMillis, reader)));
    }

    /**
     * How long a {@link #poll} may wait before the rings must be looked at again, for a reader's own poll loop:
     * the latency bound for batched wakeups, -1 (no timeout) for one wakeup per sample and for
     * {@link Wakeup#adaptive()} wakeups, whose peek timer (armed here while some CPU is batched) ends a poll in time
     * and has it read every ring. Poll with it and consume when a poll times out, and no record waits longer than
     * the bound.
     *
     * @return the timeout in milliseconds for the next poll, or -1
     * @throws PerfBufferClosedException once the buffer is closed
     */
    public int peekMillis() {
        return ownership.owned(rings::peekMillis);
    }

    /**
     * Consumes every ring whole, without waiting. Returns how many records were handled.
     *
     * @return the number of records handed to the handler
     * @throws PerfBufferClosedException once the buffer is closed
     * @throws RingCorruptedException when a ring holds a record the kernel cannot have written
     */
    public int consume() {
        return ownership.owned(() -> rings.readAll(reader));
    }

    /**
     * Consumes the records present in ring {@code index} (0 .. bufferCount-1).
     *
     * @param index the ring, in the order {@link #rings()} lists them
     * @return the number of records handed to the handler
     * @throws IndexOutOfBoundsException when {@code index} names no ring
     * @throws PerfBufferClosedException once the buffer is closed
     * @throws RingCorruptedException when the ring holds a record the kernel cannot have written
     */
    public int consumeBuffer(int index) {
        return ownership.owned(() -> rings.read(Objects.checkIndex(index, rings.count()), reader));
    }

    /**
     * Ends output for good and hands out what the rings still hold: the map slots are cleared, every ring's
     * event is disabled, and the records already written are consumed. Returns how many were handled; later
     * polls return 0 at once and {@link #resume()} is refused. The buffer stays open until {@link #close()}.
     *
     * @return the number of records handed to the handler
     * @throws PerfBufferClosedException once the buffer is closed
     */
    public int finish() {
        return ownership.owned(() -> {
            finished = true;
            rings.stopOutput();
            return rings.readAll(reader);
        });
    }

    /**
     * Reads the newest records of every overwritable ring ({@link PerfBufferOptions.Builder#overwritable}), newest
     * first within each ring, pausing each ring's output while it is read. Returns how many records were handed
     * to the handler.
     *
     * @return the number of records handed to the handler
     * @throws IllegalStateException when the rings are not overwritable, or the buffer was opened raw
     * @throws PerfBufferClosedException once the buffer is closed
     */
    public int snapshot() {
        if (!rings.options().overwritable()) {
            throw new IllegalStateException("snapshot() reads overwritable rings; open the buffer with options"
                    + " built with overwritable(true), or use poll() and consume() on ordinary rings");
        }
        if (handler == null) {
            throw new IllegalStateException("snapshot() hands records to a RecordHandler; open the buffer with open()");
        }
        RecordVisitor decoding = RecordVisitor.decoding(handler);
        return ownership.owned(() -> rings.snapshot(decoding));
    }

    /**
     * Follows CPU hotplug now: the ring of a CPU that went offline is consumed whole and closed, a CPU that came
     * online gets a ring (and its map slot, unless paused). {@link #poll} does this itself as the kernel announces
     * it; call this when waiting on {@link #epollFd()} from an event loop of your own. Returns whether the rings
     * changed.
     *
     * @return true when a ring was opened or closed
     * @throws PerfBufferClosedException once the buffer is closed
     */
    public boolean followCpus() {
        return ownership.owned(() -> rings.followCpus() ? 1 : 0) == 1;
    }

    /**
     * Whether any ring holds records: a peek at each ring's data_head, no syscall.
     *
     * @return true when some ring's data_head is past its data_tail
     * @throws PerfBufferClosedException once the buffer is closed
     */
    public boolean hasData() {
        return ownership.owned(() -> rings.hasData() ? 1 : 0) == 1;
    }

    /**
     * How many rings are open (perf_buffer__buffer_cnt). Any thread; CPU hotplug can change it.
     *
     * @return the number of rings
     */
    public int bufferCount() {
        return rings.rings().rings().size();
    }

    /**
     * The perf event descriptor of ring {@code index} (perf_buffer__buffer_fd). Any thread.
     *
     * @param index the ring, 0 .. {@link #bufferCount()} - 1
     * @return the descriptor, owned by the buffer: do not close it
     * @throws IndexOutOfBoundsException when {@code index} names no ring
     */
    public FileDescriptor bufferFd(int index) {
        return rings.ring(index).event;
    }

    /**
     * The CPU of ring {@code index}. Any thread.
     *
     * @param index the ring, 0 .. {@link #bufferCount()} - 1
     * @return the CPU number
     * @throws IndexOutOfBoundsException when {@code index} names no ring
     */
    public int cpu(int index) {
        return rings.rings().rings().get(index).cpu();
    }

    /**
     * The epoll instance that watches every ring (perf_buffer__epoll_fd), for an outside event loop.
     *
     * @return the descriptor, owned by the buffer: do not close it
     */
    public FileDescriptor epollFd() {
        return rings.epoll().fd();
    }

    /**
     * Counts of what ring {@code index} has handed out. Any thread.
     *
     * @param index the ring, 0 .. {@link #bufferCount()} - 1
     * @return the ring's live counters
     * @throws IndexOutOfBoundsException when {@code index} names no ring
     */
    public PerfRingCounters counters(int index) {
        return rings.rings().rings().get(index).counters();
    }

    /**
     * The rings open now, with their counters. Any thread.
     *
     * @return the rings at this moment
     */
    public PerfRings rings() {
        return rings.rings();
    }

    /**
     * Samples handed out by all rings. Any thread.
     *
     * @return the total of the rings open now (a ring closed with its CPU no longer counts)
     */
    public long samples() {
        return rings.rings().samples();
    }

    /**
     * Samples the kernel reported lost in all rings. Any thread.
     *
     * @return the total of the LOST records the rings open now have handed out
     */
    public long lost() {
        return rings.rings().lost();
    }

    /**
     * The map's name.
     *
     * @return the name of the PERF_EVENT_ARRAY read
     */
    public String mapName() {
        return rings.mapName();
    }

    /**
     * The options the buffer was opened with.
     *
     * @return the options
     */
    public PerfBufferOptions options() {
        return rings.options();
    }

    /**
     * Clears the map slots, so the BPF program's output goes nowhere (bpf_perf_event_output() fails with
     * ENOENT and nothing is counted as lost) while the rings and their records stay. Any thread; see the class
     * comment for when it takes effect.
     */
    public void pause() {
        pauseWanted = true;
        ownership.post(null);
    }

    /**
     * Restores the map slots that {@link #pause()} cleared. Any thread.
     *
     * @throws IllegalStateException after {@link #finish()}
     */
    public void resume() {
        if (finished) {
            throw new IllegalStateException("map '" + mapName() + "': finish() ended output for good; open a new"
                    + " buffer to read again");
        }
        pauseWanted = false;
        ownership.post(null);
    }

    /**
     * Whether the map slots are clear now (paused, finished or closed). Any thread.
     *
     * @return true while the programs' output goes nowhere
     */
    public boolean isPaused() {
        return rings.isPaused();
    }

    /**
     * Wakes the thread waiting in {@link #poll}, which then returns the records of any rings that were ready too
     * (0 if none), so a reader can wait with no timeout and still be stopped from another thread. Any thread;
     * does nothing once the buffer is closed.
     */
    public void wakeup() {
        rings.signal();
    }

    /**
     * Clears the map slots this buffer set, unmaps the rings and closes every descriptor it owns (libbpf's
     * perf_buffer__free). Any thread, any number of times: when another thread is in a reading call, that call
     * is woken, stops before its next record and releases the buffer as it returns, and this call waits for it.
     * Called from the handler, it returns at once and the buffer is released as the reading call returns.
     */
    @Override
    public void close() {
        ownership.close("the buffer was closed");
    }

    /** What the owning thread does with the posted requests. */
    private final class Owner implements Ownership.Rings {

        /** The map slots as pause and resume asked. */
        @Override
        public void apply() {
            if (pauseWanted) {
                rings.pause();
            } else if (!finished) {
                rings.resume();
            }
        }

        /** Releases the rings and stops watching the map. */
        @Override
        public void release() {
            try {
                rings.close();
            } finally {
                try {
                    // null when the map was closed already as the buffer opened: the watch ran at once
                    if (mapWatch != null) {
                        mapWatch.close();
                    }
                } catch (Exception ignored) {
                    // unregistering an onClose action cannot fail
                }
            }
        }

        @Override
        public void wake() {
            rings.signal();
        }
    }

    @Override
    public String toString() {
        return "PerfBuffer[map=" + mapName() + ", " + rings.options() + "]";
    }
}
