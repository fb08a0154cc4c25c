package io.reactorbpf.examples.run;

import io.reactorbpf.examples.cli.PerfSession;
import io.reactorbpf.examples.cli.StopSignal;
import io.reactorbpf.perf.maps.MapSnapshot;
import io.reactorbpf.perf.maps.MapSnapshots;
import reactor.core.publisher.Flux;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a loaded object's maps every interval until the run stops, then once more: one {@link MapSnapshots}
 * stream per map, zipped so that each tick's snapshots of every map reach the printer together, in the order the
 * maps were named. Runs on the command's thread until the end; the printer is called on a stream's thread.
 */
final class SnapshotRun {

    private SnapshotRun() {
    }

    /** Hands each tick's snapshots of {@code streams} to {@code print} until {@code stop}, then the last ones. */
    static void run(List<MapSnapshots> streams, Consumer<List<MapSnapshot>> print, StopSignal stop)
            throws InterruptedException {
        Flux<List<MapSnapshot>> ticks = Flux.zip(streams,
                row -> Arrays.stream(row).map(MapSnapshot.class::cast).toList());
        PerfSession.run(() -> streams.forEach(MapSnapshots::complete), ticks, print, stop);
    }
}
