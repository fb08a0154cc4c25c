package io.reactorbpf.perf;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.internal.sys.Epoll;
import io.reactorbpf.core.internal.sys.EventFd;
import io.reactorbpf.core.sys.FileDescriptor;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * BPF ring buffers ({@code BPF_MAP_TYPE_RINGBUF}) read by blocking calls: libbpf's {@code struct ring_buffer}
 * ({@link #open} = ring_buffer__new, {@link #add} = __add, {@link #poll} = __poll, {@link #consume()} = __consume,
 * {@link #consume(int)} = __consume_n, {@link #consumeRing} = ring__consume, {@link #ringCount},
 * {@link #epollFd} = __epoll_fd, {@link #close} = __free). Several ring buffers share one epoll instance; each
 * has its own handler, which gets every committed sample ({@code cpu} is {@link RingBuf#NO_CPU}: one ring
 * serves all CPUs).
 *
 * <p>Threading: the reading calls ({@link #poll}, the consume calls, {@link #add}, {@link #availableBytes}) run
 * one thread at a time (a second thread waits its turn), and the handlers run on that thread; they must not
 * call them again. {@link #wakeup} and {@link #close} may be called from any thread at any time: a running
 * {@code poll} is woken, stops before its next sample, and the rings are unmapped as it returns; every later
 * reading call throws {@link PerfBufferClosedException}. Closing a map that was added closes the reader.
 *
 * <p>Ownership: the reader owns its mappings, a descriptor of each map, its epoll instance and eventfd;
 * {@link #close()} releases them exactly once.
 *
 * <p>Backpressure: samples stay in a ring until consumed; when a ring is full, the program's
 * {@code bpf_ringbuf_output} and {@code bpf_ringbuf_reserve} fail, and the kernel counts nothing. When the loader
 * added its loss count to the programs ({@code ObjectSpec.countRingBufLosses}, on by default), a read that takes
 * every committed sample of a ring hands the failures since the last one to the handler's {@code onLost}, after
 * those samples; a poll reads only rings with samples, so {@link #consume()} reports losses that came with none.
 *
 * @since 0.1
 */
public final class RingBuffer implements AutoCloseable {

    /** epoll data of the wakeup eventfd; a ring's data is its index. */
    private static final long WAKEUP = -1;

    private final Epoll epoll;
    private final EventFd wakeup;
    private final Ownership ownership;
    /** The rings in the order they were added; changed by the owner only. */
    private final List<Reader> rings = new ArrayList<>();
    private final String name;

    /** One ring, its handler and the watch on its map. */
    private record Reader(MappedRingBuf mapped, SampleVisitor visitor, AutoCloseable mapWatch) {
    }

    private RingBuffer(String name, Epoll epoll, EventFd wakeup) {
        this.name = name;
        this.epoll = epoll;
        this.wakeup = wakeup;
        this.ownership = new Ownership("ring buffer reader of map '" + name + "'", new Owner());
    }

    /**
     * Maps {@code map} for reading (libbpf's ring_buffer__new): its samples go to {@code handler} from
     * {@link #poll} and the consume calls, on the calling thread.
     *
     * @param map the RINGBUF the programs write to; still owned by the caller, and closing it closes the reader
     * @param handler gets each committed sample and each loss count, on the thread of the reading call
     * @return the reader, owned by the caller, who closes it
     * @throws IllegalArgumentException if {@code map} is not a RINGBUF
     * @throws IllegalStateException if another reader holds the map
     * @throws io.reactorbpf.core.sys.SyscallException when the mmap, epoll or eventfd calls fail
     */
    public static RingBuffer open(BpfMap map, RecordHandler handler) {
        Objects.requireNonNull(handler, "handler");
        EventFd wakeup = EventFd.open(map.name());
        Epoll epoll = null;
        try {
            epoll = Epoll.open(16, "ring buffer " + map.name());
            epoll.add(wakeup.fd(), Epoll.IN, WAKEUP);
            RingBuffer reader = new RingBuffer(map.name(), epoll, wakeup);
            try {
                reader.add(map, handler);
            } catch (RuntimeException | Error e) {
                reader.close();
                throw e;
            }
            return reader;
        } catch (RuntimeException | Error e) {
            if (epoll != null && !epoll.fd().isClosed()) {
                epoll.close();
            }
            wakeup.close();
            throw e;
        }
    }

    /**
     * Maps another ring buffer into this reader (libbpf's ring_buffer__add), watched by the same epoll instance.
     *
     * @param map another RINGBUF; still owned by the caller, and closing it closes the reader
     * @param handler gets this ring's samples and loss counts, on the thread of the reading call
     * @throws IllegalArgumentException if {@code map} is not a RINGBUF
     * @throws IllegalStateException if another reader holds the map
     * @throws PerfBufferClosedException once the reader is closed
     * @throws io.reactorbpf.core.sys.SyscallException when the mmap or the epoll registration fails
     */
    public void add(BpfMap map, RecordHandler handler) {
        Objects.requireNonNull(handler, "handler");
        SampleVisitor handing = SampleVisitor.handing(handler);
        // a close request ends the pass before the next sample, so close() from another thread waits one sample
        SampleVisitor visitor = new SampleVisitor() {
            @Override
            public boolean visit(ByteBuffer data, int offset, int length) {
                return !ownership.closing() && handing.visit(data, offset, length);
            }

            @Override
            public boolean lost(long count) {
                return !ownership.closing() && handing.lost(count);
            }
        };
        ownership.owned(() -> {
            MappedRingBuf mapped = MappedRingBuf.open(map);
            try {
                epoll.add(mapped.fd, Epoll.IN, rings.size());
                AutoCloseable watch = map.onClose(() -> ownership.post("map '" + map.name() + "' was closed"));
                rings.add(new Reader(mapped, visitor, watch));
            } catch (RuntimeException | Error e) {
                mapped.close();
                throw e;
            }
            return 0;
        });
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever) for rings with committed samples, then consumes each of
     * them whole. Returns how many samples were handled; 0 after a timeout or a {@link #wakeup()} with no ring
     * ready.
     *
     * @param timeoutMillis the longest wait in milliseconds, 0 to not wait, -1 to wait until woken
     * @return the number of samples handed to the handlers
     * @throws PerfBufferClosedException once the reader is closed
     * @throws RingCorruptedException when a ring holds a record the kernel cannot have written
     */
    public int poll(int timeoutMillis) {
        return ownership.owned(() -> {
            int ready = epoll.await(timeoutMillis);
            int taken = 0;
            for (int i = 0; i < ready; i++) {
                long data = epoll.data(i);
                if (data == WAKEUP) {
                    wakeup.drain();
                } else {
                    Reader r = rings.get((int) data);
                    taken += r.mapped.ring.read(r.visitor);
                }
            }
            return taken;
        });
    }

    /**
     * Consumes every ring whole, without waiting. Returns how many samples were handled.
     *
     * @return the number of samples handed to the handlers
     * @throws PerfBufferClosedException once the reader is closed
     * @throws RingCorruptedException when a ring holds a record the kernel cannot have written
     */
    public int consume() {
        return ownership.owned(() -> {
            int taken = 0;
            for (Reader r : rings) {
                taken += r.mapped.ring.read(r.visitor);
            }
            return taken;
        });
    }

    /**
     * Consumes at most {@code max} samples over the rings in order (libbpf's ring_buffer__consume_n); the rest
     * stay in the rings.
     *
     * @param max the most samples to hand out, 0 or more
     * @return the number of samples handed to the handlers
     * @throws IllegalArgumentException when {@code max} is negative
     * @throws PerfBufferClosedException once the reader is closed
     * @throws RingCorruptedException when a ring holds a record the kernel cannot have written
     */
    public int consume(int max) {
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative: " + max);
        }
        return ownership.owned(() -> {
            int taken = 0;
            for (Reader r : rings) {
                int left = max - taken;
                if (left == 0) {
                    break;
                }
                taken += r.mapped.ring.read(new SampleVisitor() {
                    private int budget = left;

                    @Override
                    public boolean visit(ByteBuffer data, int offset, int length) {
                        return budget-- > 0 && r.visitor.visit(data, offset, length);
                    }

                    @Override
                    public boolean lost(long count) {
                        return r.visitor.lost(count);
                    }
                });
            }
            return taken;
        });
    }

    /**
     * Consumes ring {@code index} (0 .. ringCount-1) whole (libbpf's ring__consume).
     *
     * @param index the ring, in the order the maps were added
     * @return the number of samples handed to its handler
     * @throws IndexOutOfBoundsException when {@code index} names no ring
     * @throws PerfBufferClosedException once the reader is closed
     * @throws RingCorruptedException when the ring holds a record the kernel cannot have written
     */
    public int consumeRing(int index) {
        return ownership.owned(() -> {
            Reader r = rings.get(Objects.checkIndex(index, rings.size()));
            return r.mapped.ring.read(r.visitor);
        });
    }

    /**
     * Bytes committed or reserved and not yet consumed in ring {@code index} (libbpf's ring__avail_data_size).
     *
     * @param index the ring, in the order the maps were added
     * @return the bytes between consumer_pos and producer_pos
     * @throws IndexOutOfBoundsException when {@code index} names no ring
     * @throws PerfBufferClosedException once the reader is closed
     */
    public long availableBytes(int index) {
        long[] bytes = {0};
        ownership.owned(() -> {
            bytes[0] = rings.get(Objects.checkIndex(index, rings.size())).mapped.ring.availableBytes();
            return 0;
        });
        return bytes[0];
    }

    /**
     * How many ring buffers this reader maps. A reading call: waits while another thread is in one.
     *
     * @return the number of rings added
     * @throws PerfBufferClosedException once the reader is closed
     */
    public int ringCount() {
        return ownership.owned(rings::size);
    }

    /**
     * Counts of what ring {@code index} handed out. The counters themselves may then be read from any thread.
     *
     * @param index the ring, in the order the maps were added
     * @return the ring's live counters
     * @throws IndexOutOfBoundsException when {@code index} names no ring
     * @throws PerfBufferClosedException once the reader is closed
     */
    public PerfRingCounters counters(int index) {
        PerfRingCounters[] c = new PerfRingCounters[1];
        ownership.owned(() -> {
            c[0] = rings.get(Objects.checkIndex(index, rings.size())).mapped.ring.counters();
            return 0;
        });
        return c[0];
    }

    /**
     * The epoll instance that watches every ring (libbpf's ring_buffer__epoll_fd), for an outside event loop.
     *
     * @return the descriptor, owned by the reader: do not close it
     */
    public FileDescriptor epollFd() {
        return epoll.fd();
    }

    /** Wakes the thread waiting in {@link #poll}, which then returns. Any thread; nothing once closed. */
    public void wakeup() {
        wakeup.signal();
    }

    /**
     * Unmaps every ring and closes every descriptor this reader owns (libbpf's ring_buffer__free). Any thread, any
     * number of times: when another thread is in a reading call, that call is woken, stops before its next sample
     * and releases the reader as it returns, and this call waits for it. From a handler it returns at once.
     */
    @Override
    public void close() {
        ownership.close("the reader was closed");
    }

    @Override
    public String toString() {
        return "RingBuffer[map=" + name + "]";
    }

    /** What the owning thread does with the posted requests. */
    private final class Owner implements Ownership.Rings {

        @Override
        public void apply() {
            // ring buffers have no map slots to pause: nothing to bring in line
        }

        @Override
        public void release() {
            RuntimeException failure = null;
            for (Reader r : rings) {
                failure = RingSet.attempt(failure, () -> {
                    try {
                        r.mapWatch.close();
                    } catch (Exception ignored) {
                        // unregistering an onClose action cannot fail
                    }
                });
                failure = RingSet.attempt(failure, r.mapped::close);
            }
            failure = RingSet.attempt(failure, epoll::close);
            failure = RingSet.attempt(failure, wakeup::close);
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public void wake() {
            wakeup.signal();
        }
    }
}
