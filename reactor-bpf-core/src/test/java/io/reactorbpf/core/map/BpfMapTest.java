package io.reactorbpf.core.map;

import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.MapCreateAttr;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.internal.sys.PseudoFs;
import io.reactorbpf.core.sys.SyscallException;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@KernelTest
class BpfMapTest {

    private static byte[] i32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    private static byte[] i64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array();
    }

    private static BpfMap hash(int entries) {
        return BpfMap.create(MapCreateAttr.of(MapType.HASH, "test_hash", 4, 8, entries));
    }

    @Test
    void absentKeyLooksUpAsEmptyNotAsAnError() {
        try (BpfMap map = hash(8)) {
            assertEquals(Optional.empty(), map.lookup(i32(1)));
        }
    }

    @Test
    void updateThenLookupReturnsTheValue() {
        try (BpfMap map = hash(8)) {
            map.update(i32(1), i64(42));
            assertArrayEquals(i64(42), map.lookup(i32(1)).orElseThrow());
        }
    }

    @Test
    void deleteSaysWhetherTheKeyWasThere() {
        try (BpfMap map = hash(8)) {
            map.update(i32(1), i64(1));
            assertTrue(map.delete(i32(1)));
            assertFalse(map.delete(i32(1)));
        }
    }

    @Test
    void threadsUpdatingAndLookingUpTheirOwnKeysSeeOnlyTheirOwnValues() throws Exception {
        int threads = 4;
        int rounds = 2_000;
        try (BpfMap map = hash(threads)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> mismatches = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int key = t;
                    mismatches.add(pool.submit(() -> {
                        start.await();
                        int wrong = 0;
                        for (int i = 0; i < rounds; i++) {
                            long value = key * 1_000_000L + i;
                            map.update(i32(key), i64(value));
                            if (!Arrays.equals(i64(value), map.lookup(i32(key)).orElseThrow())) {
                                wrong++;
                            }
                        }
                        return wrong;
                    }));
                }
                start.countDown();
                for (Future<Integer> m : mismatches) {
                    assertEquals(0, m.get(30, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aReturnedValueIsTheCallersOwnAndLaterCallsLeaveItAlone() {
        try (BpfMap map = hash(8)) {
            map.update(i32(1), i64(1));
            map.update(i32(2), i64(2));
            byte[] first = map.lookup(i32(1)).orElseThrow();
            map.update(i32(1), i64(3));
            map.lookup(i32(2));
            assertArrayEquals(i64(1), first);
            first[0] ^= 0x7f;
            assertArrayEquals(i64(3), map.lookup(i32(1)).orElseThrow());
        }
    }

    @Test
    void oneThreadAlternatingBetweenSmallAndLargeValuesGetsEachValueWhole() {
        byte[] large = new byte[256];
        Arrays.fill(large, (byte) 0x5a);
        try (BpfMap small = hash(4);
             BpfMap big = BpfMap.create(MapCreateAttr.of(MapType.HASH, "test_big", 64, large.length, 4))) {
            byte[] bigKey = new byte[64];
            Arrays.fill(bigKey, (byte) 1);
            small.update(i32(1), i64(7));
            assertArrayEquals(i64(7), small.lookup(i32(1)).orElseThrow());
            big.update(bigKey, large);
            assertArrayEquals(large, big.lookup(bigKey).orElseThrow());
            small.update(i32(2), i64(8));
            assertArrayEquals(i64(8), small.lookup(i32(2)).orElseThrow());
            assertTrue(big.delete(bigKey));
            assertEquals(Optional.empty(), big.lookup(bigKey));
            assertArrayEquals(i64(7), small.lookup(i32(1)).orElseThrow());
        }
    }

    @Test
    void wrongKeyOrValueSizeIsATypedError() {
        try (BpfMap map = hash(8)) {
            assertThrows(MapException.class, () -> map.lookup(new byte[3]));
            assertThrows(MapException.class, () -> map.update(i32(1), i32(1)));
        }
    }

    @Test
    void keysVisitsEveryKeyOnce() {
        try (BpfMap map = hash(64)) {
            for (int i = 0; i < 50; i++) {
                map.update(i32(i), i64(i));
            }
            Set<Integer> seen = new HashSet<>();
            for (byte[] k : map.keys()) {
                assertTrue(seen.add(ByteBuffer.wrap(k).order(ByteOrder.nativeOrder()).getInt()), "duplicate key");
            }
            assertEquals(50, seen.size());
        }
    }

    @Test
    void deletingEachKeyWhileIteratingVisitsEveryKeyOnce() {
        try (BpfMap map = hash(64)) {
            for (int i = 0; i < 50; i++) {
                map.update(i32(i), i64(i));
            }
            List<Integer> seen = new ArrayList<>();
            for (byte[] k : map.keys()) {
                seen.add(ByteBuffer.wrap(k).order(ByteOrder.nativeOrder()).getInt());
                map.delete(k);
            }
            assertEquals(50, seen.size());
            assertEquals(50, new HashSet<>(seen).size());
            assertFalse(map.keys().iterator().hasNext());
        }
    }

    @Test
    void entriesOfAHashMatchTheUpdates() {
        try (BpfMap map = hash(1024)) {
            for (int i = 0; i < 600; i++) {
                map.update(i32(i), i64(i * 3L));
            }
            List<MapEntry> entries = map.entries();
            assertEquals(600, entries.size());
            for (MapEntry e : entries) {
                int k = ByteBuffer.wrap(e.key()).order(ByteOrder.nativeOrder()).getInt();
                assertArrayEquals(i64(k * 3L), e.value());
            }
        }
    }

    @Test
    void entriesOfAnArrayCoverEverySlot() {
        try (BpfMap map = BpfMap.create(MapCreateAttr.of(MapType.ARRAY, "test_array", 4, 8, 5))) {
            new ArrayMap(map).set(3, i64(7));
            List<MapEntry> entries = map.entries();
            assertEquals(5, entries.size());
            assertEquals(7, new ArrayMap(map).getLong(3));
        }
    }

    @Test
    void lookupAndDeleteEntriesReturnsEveryEntryOfAHashAndLeavesItEmpty() {
        try (BpfMap map = hash(1024)) {
            for (int i = 0; i < 600; i++) {
                map.update(i32(i), i64(i * 5L));
            }
            List<MapEntry> taken = map.lookupAndDeleteEntries();
            assertEquals(600, taken.size());
            Set<Integer> keys = new HashSet<>();
            for (MapEntry e : taken) {
                int k = ByteBuffer.wrap(e.key()).order(ByteOrder.nativeOrder()).getInt();
                assertTrue(keys.add(k), "key " + k + " once");
                assertArrayEquals(i64(k * 5L), e.value());
            }
            assertEquals(List.of(), map.entries());
        }
    }

    @Test
    void lookupAndDeleteEntriesOfAPerCpuHashReturnsEveryCpusValue() {
        int cpus = CpuSet.possible().span();
        try (BpfMap map = BpfMap.create(MapCreateAttr.of(MapType.PERCPU_HASH, "test_pcpu_hash", 4, 8, 16))) {
            map.as(MapCodec.INT, MapCodec.LONG).put(7, 9L);
            List<MapEntry> taken = map.lookupAndDeleteEntries();
            assertEquals(1, taken.size());
            List<byte[]> values = map.perCpuValues(taken.get(0).value());
            assertEquals(cpus, values.size());
            values.forEach(v -> assertArrayEquals(i64(9), v));
            assertEquals(List.of(), map.entries());
        }
    }

    /** An LPM trie has no batch calls: its 8-byte keys are a 32-bit prefix length and 4 bytes of data. */
    @Test
    void aMapWithoutBatchCallsIsReadAndDeletedKeyByKey() {
        try (BpfMap map = BpfMap.create(MapCreateAttr.of(MapType.LPM_TRIE, "test_trie", 8, 8, 16).withFlags(1))) {
            for (int i = 1; i <= 3; i++) {
                map.update(trieKey(32, i), i64(i * 11L));
            }
            assertEquals(3, map.entries().size());
            List<MapEntry> taken = map.lookupAndDeleteEntries();
            assertEquals(3, taken.size());
            for (MapEntry e : taken) {
                assertArrayEquals(i64((e.key()[7] & 0xff) * 11L), e.value());
            }
            assertEquals(List.of(), map.entries());
        }
    }

    private static byte[] trieKey(int prefixLength, int lastByte) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(prefixLength).put(new byte[] {10, 0, 0,
                (byte) lastByte}).array();
    }

    @Test
    void anArrayRefusesLookupAndDeleteWithATypedError() {
        try (BpfMap map = BpfMap.create(MapCreateAttr.of(MapType.ARRAY, "test_array", 4, 8, 5))) {
            MapException e = assertThrows(MapException.class, map::lookupAndDeleteEntries);
            assertTrue(e.getMessage().contains("cannot be deleted"), e.getMessage());
        }
    }

    @Test
    void perCpuValuesSplitsAValueBufferIntoEachCpusValue() {
        int cpus = CpuSet.possible().span();
        try (BpfMap map = BpfMap.create(MapCreateAttr.of(MapType.PERCPU_ARRAY, "test_pcpu", 4, 4, 1))) {
            byte[] all = new byte[map.valueBufferSize()];
            for (int cpu = 0; cpu < cpus; cpu++) {
                all[cpu * 8] = (byte) (cpu + 1);
            }
            List<byte[]> values = map.perCpuValues(all);
            assertEquals(cpus, values.size());
            for (int cpu = 0; cpu < cpus; cpu++) {
                assertArrayEquals(new byte[] {(byte) (cpu + 1), 0, 0, 0}, values.get(cpu));
            }
            assertThrows(MapException.class, () -> map.perCpuValues(new byte[4]));
        }
    }

    @Test
    void arrayIndexOutsideTheArrayIsATypedError() {
        try (BpfMap map = BpfMap.create(MapCreateAttr.of(MapType.ARRAY, "test_array", 4, 8, 5))) {
            assertThrows(MapException.class, () -> new ArrayMap(map).get(5));
        }
    }

    @Test
    void perCpuArrayHoldsOnePaddedValuePerPossibleCpu() {
        int cpus = CpuSet.possible().span();
        try (BpfMap map = BpfMap.create(MapCreateAttr.of(MapType.PERCPU_ARRAY, "test_pcpu", 4, 4, 2))) {
            assertEquals(cpus * 8, map.valueBufferSize());
            map.as(MapCodec.INT, MapCodec.INT).put(1, 5);
            List<Integer> values = map.as(MapCodec.INT, MapCodec.INT).getPerCpu(1).orElseThrow();
            assertEquals(cpus, values.size());
            values.forEach(v -> assertEquals(5, v));
            assertEquals(2, map.entries().size());
        }
    }

    @Test
    void perCpuLongsSumOverCpus() {
        int cpus = CpuSet.possible().span();
        try (BpfMap map = BpfMap.create(MapCreateAttr.of(MapType.PERCPU_ARRAY, "test_pcpu", 4, 8, 1))) {
            new ArrayMap(map).set(0, i64(3));
            assertEquals(3L * cpus, new ArrayMap(map).getLong(0));
        }
    }

    @Test
    void frozenMapRefusesUserSpaceWrites() {
        try (BpfMap map = BpfMap.create(MapCreateAttr.of(MapType.ARRAY, "test_frozen", 4, 8, 1))) {
            map.update(i32(0), i64(1));
            map.freeze();
            assertThrows(SyscallException.class, () -> map.update(i32(0), i64(2)));
            assertArrayEquals(i64(1), map.lookup(i32(0)).orElseThrow());
        }
    }

    @Test
    void pinnedMapReopensWithItsContentsAndUnpinRemovesIt() throws Exception {
        Path path = PseudoFs.BPFFS.mountPoint().resolve("reactor_bpf_map_test_" + ProcessHandle.current().pid());
        try (BpfMap map = hash(4)) {
            map.update(i32(9), i64(99));
            map.pin(path);
            try (BpfMap again = BpfMap.openPinned(path)) {
                assertEquals(MapType.HASH, again.type());
                assertArrayEquals(i64(99), again.lookup(i32(9)).orElseThrow());
                assertTrue(again.unpin());
            }
        } finally {
            Files.deleteIfExists(path);
        }
        assertFalse(Files.exists(path));
    }
}
