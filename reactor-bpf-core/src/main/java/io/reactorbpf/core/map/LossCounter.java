package io.reactorbpf.core.map;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Where BPF programs count the samples they could not write to a map: a u64 at {@code offset} in the one value of
 * {@code counters}, a one-entry {@code BPF_F_MMAPABLE} ARRAY, that the programs increase atomically. The kernel
 * counts nothing when a ring buffer reserve or output fails; the object loader adds such a counter to the programs
 * of the objects it loads (see {@code ObjectSpec.countRingBufLosses}) and ties it to the ring buffer map with
 * {@link BpfMap#countLossesIn}, so a reader finds it on the map. Readers map {@code counters} read-only and take
 * the growth of the value as losses.
 *
 * @param counters the array holding the counter; owned by the object that loaded the programs, not by this record
 * @param offset   the counter's byte offset in the array's value, a multiple of 8
 * @since 0.1
 */
public record LossCounter(BpfMap counters, int offset) {

    /**
     * Checks that the counter lies inside the array's one value.
     *
     * @param counters the one-entry array holding the counter, owned by the loader
     * @param offset the counter's byte offset in the array's value
     * @throws IllegalArgumentException when the offset is not a multiple of 8 inside the value, or the array has
     *         more than one entry
     */
    public LossCounter {
        Objects.requireNonNull(counters, "counters");
        if (offset < 0 || offset % 8 != 0 || offset + 8 > counters.valueSize() || counters.maxEntries() != 1) {
            throw new IllegalArgumentException("a loss counter is a u64 at a multiple of 8 inside the one value of a"
                    + " one-entry array, not offset " + offset + " of " + counters);
        }
    }

    /**
     * The counter's value now, read with a lookup (readers that poll it map the array instead). Any thread.
     *
     * @return the number of samples the programs could not write since the array was created
     * @throws MapException when the array has no entry 0
     * @throws io.reactorbpf.core.sys.SyscallException when the lookup fails, such as after the array was closed
     */
    public long read() {
        byte[] value = counters.lookup(new byte[4]).orElseThrow(() -> new MapException(
                "loss counter array '" + counters.name() + "' has no entry 0"));
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong(offset);
    }
}
