package io.reactorbpf.perf.maps;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One read of a map by {@link MapSnapshots}: its entries at {@code time}, as the stream's {@link SnapshotMode} and
 * {@link CpuValues} make them. The arrays are the receiver's own copies. Immutable but for them.
 *
 * @param map      the map's name
 * @param sequence this snapshot's number in its subscription, from 0
 * @param time     when the map was read (the stream scheduler's clock)
 * @param skipped  the ticks skipped, for lack of demand, since the previous snapshot: the map was not read at
 *                 them, so a {@link SnapshotMode#DELTA} or {@link SnapshotMode#CLEAR} snapshot covers them too
 * @param entries  the entries, in the order the kernel gave them (index order for arrays)
 * @since 0.1
 */
public record MapSnapshot(String map, long sequence, Instant time, int skipped, List<Entry> entries) {

    /**
     * Checks the snapshot and copies the list of entries (not the entries' arrays, which the snapshot takes over).
     *
     * @param map      the map's name
     * @param sequence this snapshot's number in its subscription, from 0
     * @param time     when the map was read
     * @param skipped  the ticks skipped for lack of demand since the previous snapshot
     * @param entries  the entries, in the order the kernel gave them
     */
    public MapSnapshot {
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(time, "time");
        entries = List.copyOf(entries);
    }

    /**
     * One key and its value: one value, or for a per-CPU map read with {@link CpuValues#PER_CPU} one per
     * possible CPU (CPU 0 first); each the map's value size.
     *
     * @param key    the key's bytes, as the kernel holds them
     * @param values the value, or one per possible CPU; never empty
     * @since 0.1
     */
    public record Entry(byte[] key, List<byte[]> values) {

        /**
         * Checks the entry and copies the list of values (not their arrays).
         *
         * @param key    the key's bytes
         * @param values the value, or one per possible CPU
         * @throws IllegalArgumentException when there is no value
         */
        public Entry {
            Objects.requireNonNull(key, "key");
            values = List.copyOf(values);
            if (values.isEmpty()) {
                throw new IllegalArgumentException("an entry has at least one value");
            }
        }

        /**
         * The value: the only one, or the first CPU's of a per-CPU map read per CPU.
         *
         * @return the entry's own array, not a copy
         */
        public byte[] value() {
            return values.get(0);
        }
    }
}
