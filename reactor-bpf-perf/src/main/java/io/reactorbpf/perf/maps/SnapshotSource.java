package io.reactorbpf.perf.maps;

import java.util.List;

/** What one subscription reads at each tick: the map's entries as its options make them. Used on one thread at a time. */
@FunctionalInterface
interface SnapshotSource {

    /** Reads the entries now; throws what the read throws. */
    List<MapSnapshot.Entry> read();
}
