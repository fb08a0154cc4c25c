package io.reactorbpf.perf;

import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.LockedMemoryException;
import io.reactorbpf.core.sys.MappedMemory;
import io.reactorbpf.core.sys.SyscallException;
import io.reactorbpf.core.sys.PerfEvent;
import io.reactorbpf.core.sys.PerfEventAttr;

/**
 * One CPU's perf event, its mapping and the reader over it, stored in map slot {@code key}. Owned by a
 * {@link PerfBuffer}; {@link #close()} unmaps the ring and then closes the event, once. Not thread-safe.
 */
final class CpuRing implements AutoCloseable {

    final int cpu;
    final int key;
    final FileDescriptor event;
    final MappedMemory mapping;
    final PerfRing ring;

    private CpuRing(int cpu, int key, FileDescriptor event, MappedMemory mapping, PerfRing ring) {
        this.cpu = cpu;
        this.key = key;
        this.event = event;
        this.mapping = mapping;
        this.ring = ring;
    }

    /** Opens, maps and enables a BPF output event on {@code cpu}; on failure releases what it opened. */
    static CpuRing open(PerfEventAttr attr, int cpu, int key, int pages, int pageSize) {
        FileDescriptor event = PerfEvent.open(attr, -1, cpu, -1);
        MappedMemory mapping = null;
        try {
            // an overwritable ring is mapped read-only: the kernel then never waits for data_tail
            long bytes = (long) (pages + 1) * pageSize;
            try {
                mapping = MappedMemory.map(event, bytes,
                        MappedMemory.PROT_READ | (attr.isWriteBackward() ? 0 : MappedMemory.PROT_WRITE), 0);
            } catch (SyscallException e) {
                throw LockedMemoryException.of(e, bytes, "the perf ring of CPU " + cpu + " (" + pages
                        + " pages and the header page; PerfBufferOptions.pages sets the size)").orElseThrow(() -> e);
            }
            PerfRing ring = new PerfRing(mapping.buffer(), cpu, pageSize);
            PerfEvent.enable(event);
            return new CpuRing(cpu, key, event, mapping, ring);
        } catch (RuntimeException | Error e) {
            if (mapping != null) {
                mapping.close();
            }
            event.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            mapping.close();
        } finally {
            event.close();
        }
    }
}
