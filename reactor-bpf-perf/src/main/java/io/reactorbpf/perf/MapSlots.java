package io.reactorbpf.perf;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.internal.sys.NativeBuffer;

/**
 * The slots of one {@code PERF_EVENT_ARRAY} map that a {@link PerfBuffer} fills: slot {@code key} holds the perf
 * event descriptor of the ring the BPF program writes to on that key's CPU.
 *
 * <p>Ownership: holds a duplicate of the map descriptor, because the kernel clears the slots a map file set
 * when that file is closed; {@link #close()} closes it. Threading: the rings' owner thread only; one key and one
 * value buffer serve every update, so setting and clearing slots allocates nothing.
 */
final class MapSlots implements AutoCloseable {

    private final FileDescriptor map;
    private final NativeBuffer key = NativeBuffer.allocate(Integer.BYTES);
    private final NativeBuffer value = NativeBuffer.allocate(Integer.BYTES);

    private MapSlots(FileDescriptor map) {
        this.map = map;
    }

    /** The slots of {@code map}, through a duplicate of its descriptor. */
    static MapSlots of(BpfMap map) {
        return new MapSlots(map.fd().duplicate("perf event array " + map.name()));
    }

    /** Points slot {@code slot} at {@code event}. */
    void set(int slot, FileDescriptor event) {
        key.buffer().putInt(0, slot);
        value.buffer().putInt(0, event.fd());
        Bpf.mapUpdateElem(map, key, value, Bpf.ANY);
    }

    /** Empties slot {@code slot}, so output on its CPU goes nowhere. */
    void clear(int slot) {
        key.buffer().putInt(0, slot);
        Bpf.mapDeleteElem(map, key);
    }

    @Override
    public void close() {
        map.close();
    }
}
