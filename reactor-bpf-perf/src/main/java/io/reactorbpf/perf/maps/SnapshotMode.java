package io.reactorbpf.perf.maps;

/**
 * What each snapshot of a map holds.
 *
 * @since 0.1
 */
public enum SnapshotMode {

    /** The values as the map holds them: totals since the program started counting. Reads only. */
    CUMULATIVE,

    /**
     * Each value minus the same key's value in the previous snapshot, integer by integer (the first snapshot holds
     * the values as they are; a key new since then is counted from zero). Reads only, so nothing the program
     * writes is lost; but every integer is taken for a count, so a maximum or a timestamp comes out as a
     * difference too. Needs the integers of the value known ({@link MapLayout#hasIntegers()}).
     */
    DELTA,

    /**
     * The values as the map holds them, which are then deleted (hash maps) or zeroed (arrays), so each snapshot
     * holds what came since the previous one, as libbpf-tools clear their maps after printing. A program's write
     * that lands between the read and the delete or zeroing is lost: see {@link io.reactorbpf.core.map.BpfMap#lookupAndDeleteEntries()}.
     * Refused for global data maps, whose zeroing would reset the object's variables.
     */
    CLEAR
}
