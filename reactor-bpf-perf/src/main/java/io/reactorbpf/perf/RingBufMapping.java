package io.reactorbpf.perf;

import io.reactorbpf.core.sys.Kernel;
import io.reactorbpf.core.internal.sys.MappedMemory;
import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.sys.FileDescriptor;

import java.nio.ByteBuffer;

/**
 * The mappings of a ring buffer map (RINGBUF or USER_RINGBUF), as its one reader or writer holds them: a descriptor
 * of the map of its own (what epoll watches), the consumer page, and the producer page followed by the data area,
 * which the kernel maps twice in a row so that no record wraps. The side that moves a position maps its page
 * read-write, the other read-only. Owns the descriptor, the two mappings and the claim on the map; {@link #close()}
 * releases them once, after the owning thread stopped using the memory. Not thread-safe.
 */
final class RingBufMapping implements AutoCloseable {

    final String name;
    final FileDescriptor fd;
    /** The data area's size in bytes (the map's max_entries). */
    final int size;
    final int pageSize;
    final MapClaims.Claim claim;
    private final MappedMemory consumerPage;
    private final MappedMemory producerPages;
    private boolean closed;

    private RingBufMapping(String name, FileDescriptor fd, int size, int pageSize, MapClaims.Claim claim,
                           MappedMemory consumerPage, MappedMemory producerPages) {
        this.name = name;
        this.fd = fd;
        this.size = size;
        this.pageSize = pageSize;
        this.claim = claim;
        this.consumerPage = consumerPage;
        this.producerPages = producerPages;
    }

    /**
     * Maps {@code map}, whose data area is {@code size} bytes and on which {@code claim} is held, for its reader
     * ({@code writer} false: the consumer page read-write) or its writer (the producer pages read-write). The
     * claim is released when mapping fails.
     */
    static RingBufMapping map(BpfMap map, int size, MapClaims.Claim claim, boolean writer, String what) {
        FileDescriptor fd = null;
        MappedMemory consumer = null;
        MappedMemory producer = null;
        try {
            fd = map.fd().duplicate(what + " " + map.name());
            int page = Kernel.pageSize();
            int readWrite = MappedMemory.PROT_READ | MappedMemory.PROT_WRITE;
            consumer = MappedMemory.map(fd, page, writer ? MappedMemory.PROT_READ : readWrite, 0);
            producer = MappedMemory.map(fd, page + 2L * size, writer ? readWrite : MappedMemory.PROT_READ, page);
            return new RingBufMapping(map.name(), fd, size, page, claim, consumer, producer);
        } catch (RuntimeException | Error e) {
            claim.release();
            Unwind.after(e, producer, consumer, fd);
            throw e;
        }
    }

    /** The consumer page: {@code consumer_pos} at 0. */
    ByteBuffer consumer() {
        return consumerPage.buffer();
    }

    /** The producer page ({@code producer_pos} at 0), then the data area twice from {@link #pageSize}. */
    ByteBuffer producer() {
        return producerPages.buffer();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        failure = RingSet.attempt(failure, producerPages::close);
        failure = RingSet.attempt(failure, consumerPage::close);
        failure = RingSet.attempt(failure, fd::close);
        claim.release();
        if (failure != null) {
            throw failure;
        }
    }
}
