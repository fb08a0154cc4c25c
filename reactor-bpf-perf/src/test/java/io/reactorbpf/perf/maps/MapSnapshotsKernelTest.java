package io.reactorbpf.perf.maps;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.map.MapException;
import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.MapCreateAttr;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import static io.reactorbpf.perf.maps.MapLayoutTest.u32s;
import static io.reactorbpf.perf.maps.MapLayoutTest.u64s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots of real maps, each read made by the kernel's batch calls (key by key where it has none) on a virtual
 * clock: the test changes the map between ticks and checks what each snapshot holds.
 */
@KernelTest
class MapSnapshotsKernelTest {

    private static final Duration SECOND = Duration.ofSeconds(1);
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();

    private MapSnapshotOptions.Builder options() {
        return MapSnapshotOptions.builder().interval(SECOND).scheduler(time);
    }

    private static BpfMap hash() {
        return BpfMap.create(MapCreateAttr.of(MapType.HASH, "snap_hash", 4, 8, 64));
    }

    /** The snapshot's entries as key -> each value's first 8 bytes, little-endian. */
    private static Map<Integer, Long> counts(MapSnapshot s) {
        Map<Integer, Long> counts = new TreeMap<>();
        for (MapSnapshot.Entry e : s.entries()) {
            counts.put(ByteBuffer.wrap(e.key()).order(ByteOrder.LITTLE_ENDIAN).getInt(),
                    ByteBuffer.wrap(e.value()).order(ByteOrder.LITTLE_ENDIAN).getLong());
        }
        return counts;
    }

    @Test
    void aCumulativeSnapshotHoldsEveryEntryAsTheMapHoldsIt() {
        try (BpfMap map = hash()) {
            for (int k = 1; k <= 40; k++) {
                map.update(u32s(k), u64s(k * 100L));
            }
            StepVerifier.withVirtualTime(() -> MapSnapshots.of(map, options().build()), () -> time, 1)
                    .thenAwait(SECOND)
                    .assertNext(s -> {
                        assertEquals("snap_hash", s.map());
                        Map<Integer, Long> counts = counts(s);
                        assertEquals(40, counts.size());
                        counts.forEach((k, v) -> assertEquals(k * 100L, v));
                    })
                    .thenCancel()
                    .verify();
            assertEquals(40, map.entries().size(), "reading leaves the map as it is");
        }
    }

    @Test
    void aDeltaSnapshotHoldsWhatChangedSinceThePreviousOneAndDropsKeysThatWent() {
        try (BpfMap map = hash()) {
            map.update(u32s(1), u64s(10));
            map.update(u32s(2), u64s(5));
            StepVerifier.withVirtualTime(() -> MapSnapshots.of(map, options().mode(SnapshotMode.DELTA).build()),
                            () -> time, 2)
                    .thenAwait(SECOND)
                    .assertNext(s -> assertEquals(Map.of(1, 10L, 2, 5L), counts(s), "the first holds the totals"))
                    .then(() -> {
                        map.update(u32s(1), u64s(15));
                        map.delete(u32s(2));
                        map.update(u32s(3), u64s(7));
                    })
                    .thenAwait(SECOND)
                    .assertNext(s -> assertEquals(Map.of(1, 5L, 3, 7L), counts(s)))
                    .thenCancel()
                    .verify();
        }
    }

    @Test
    void aClearingSnapshotDeletesWhatItReadFromAHash() {
        try (BpfMap map = hash()) {
            map.update(u32s(1), u64s(10));
            map.update(u32s(2), u64s(5));
            StepVerifier.withVirtualTime(() -> MapSnapshots.of(map, options().mode(SnapshotMode.CLEAR).build()),
                            () -> time, 2)
                    .thenAwait(SECOND)
                    .assertNext(s -> assertEquals(Map.of(1, 10L, 2, 5L), counts(s)))
                    .then(() -> {
                        assertEquals(List.of(), map.entries());
                        map.update(u32s(2), u64s(3));
                    })
                    .thenAwait(SECOND)
                    .assertNext(s -> assertEquals(Map.of(2, 3L), counts(s)))
                    .thenCancel()
                    .verify();
        }
    }

    @Test
    void aClearingSnapshotZeroesAnArray() {
        try (BpfMap map = BpfMap.create(MapCreateAttr.of(MapType.ARRAY, "snap_array", 4, 8, 4))) {
            map.update(u32s(1), u64s(9));
            StepVerifier.withVirtualTime(() -> MapSnapshots.of(map, options().mode(SnapshotMode.CLEAR).build()),
                            () -> time, 1)
                    .thenAwait(SECOND)
                    .assertNext(s -> assertEquals(Map.of(0, 0L, 1, 9L, 2, 0L, 3, 0L), counts(s)))
                    .thenCancel()
                    .verify();
            assertArrayEquals(u64s(0), map.lookup(u32s(1)).orElseThrow());
        }
    }

    @Test
    void perCpuValuesAreSummedOrGivenCpuByCpu() {
        int cpus = CpuSet.possible().span();
        try (BpfMap map = BpfMap.create(MapCreateAttr.of(MapType.PERCPU_HASH, "snap_pcpu", 4, 8, 8))) {
            long[] each = new long[cpus];
            for (int cpu = 0; cpu < cpus; cpu++) {
                each[cpu] = cpu + 1;
            }
            map.update(u32s(4), u64s(each));
            long sum = (long) cpus * (cpus + 1) / 2;
            StepVerifier.withVirtualTime(() -> MapSnapshots.of(map, options().build()), () -> time, 1)
                    .thenAwait(SECOND)
                    .assertNext(s -> assertEquals(Map.of(4, sum), counts(s)))
                    .thenCancel()
                    .verify();
            VirtualTimeScheduler again = VirtualTimeScheduler.create();
            StepVerifier.withVirtualTime(() -> MapSnapshots.of(map, options().scheduler(again)
                            .cpuValues(CpuValues.PER_CPU).build()), () -> again, 1)
                    .thenAwait(SECOND)
                    .assertNext(s -> {
                        List<byte[]> values = s.entries().get(0).values();
                        assertEquals(cpus, values.size());
                        for (int cpu = 0; cpu < cpus; cpu++) {
                            assertArrayEquals(u64s(cpu + 1), values.get(cpu));
                        }
                    })
                    .thenCancel()
                    .verify();
        }
    }

    @Test
    void aMapOfAnotherKindIsRefusedNamingTheReadersThatReadIt() {
        try (BpfMap ring = BpfMap.create(MapCreateAttr.of(MapType.RINGBUF, "snap_ring", 0, 0, 4096))) {
            MapException e = assertThrows(MapException.class, () -> MapSnapshots.of(ring));
            assertTrue(e.getMessage().contains("RingBufStream"), e.getMessage());
        }
    }

    @Test
    void valuesWithNoKnownIntegerCanBeReadButNotSubtractedOrSummed() {
        try (BpfMap bytes = BpfMap.create(MapCreateAttr.of(MapType.HASH, "snap_bytes", 4, 12, 4));
             BpfMap perCpu = BpfMap.create(MapCreateAttr.of(MapType.PERCPU_ARRAY, "snap_pbytes", 4, 12, 1))) {
            MapSnapshots.of(bytes);
            MapException delta = assertThrows(MapException.class,
                    () -> MapSnapshots.of(bytes, options().mode(SnapshotMode.DELTA).build()));
            assertTrue(delta.getMessage().contains("has no BTF"), delta.getMessage());
            assertThrows(MapException.class, () -> MapSnapshots.of(perCpu));
            MapSnapshots.of(perCpu, options().cpuValues(CpuValues.PER_CPU).build());
        }
    }

    @Test
    void aGlobalDataMapIsNotCleared() throws IOException {
        byte[] object;
        try (InputStream in = getClass().getResourceAsStream("/bpf/user_ringbuf_drain.bpf.o")) {
            object = in.readAllBytes();
        }
        try (BpfObject loaded = BpfObject.open(object, "user_ringbuf_drain").load()) {
            BpfMap bss = loaded.maps().stream().filter(m -> m.name().endsWith(".bss")).findFirst().orElseThrow();
            MapException e = assertThrows(MapException.class,
                    () -> MapSnapshots.of(bss, options().mode(SnapshotMode.CLEAR).build()));
            assertTrue(e.getMessage().contains("global variables"), e.getMessage());
            StepVerifier.withVirtualTime(() -> MapSnapshots.of(bss, options().mode(SnapshotMode.DELTA).build()),
                            () -> time, 1)
                    .thenAwait(SECOND)
                    .assertNext(s -> assertTrue(MapLayout.of(bss).value(s.entries().get(0).value()).has("drained")))
                    .thenCancel()
                    .verify();
        }
    }

    @Test
    void onItsOwnThreadTheStreamReadsAndEndsWithItsLastSnapshot() throws InterruptedException {
        try (BpfMap map = hash()) {
            map.update(u32s(1), u64s(1));
            MapSnapshots snapshots = MapSnapshots.of(map, MapSnapshotOptions.builder()
                    .interval(Duration.ofMillis(20)).build());
            AtomicReference<String> thread = new AtomicReference<>();
            StepVerifier.create(snapshots.doOnNext(s -> thread.set(Thread.currentThread().getName())))
                    .expectNextCount(2)
                    .then(snapshots::complete)
                    .thenConsumeWhile(s -> true)
                    .expectComplete()
                    .verify(Duration.ofSeconds(10));
            assertTrue(thread.get().startsWith("maps-snap_hash"), thread.get());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("maps-snap_hash"))) {
                assertTrue(System.nanoTime() < deadline, "the stream's thread ends with it");
                Thread.onSpinWait();
            }
        }
    }
}
