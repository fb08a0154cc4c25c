package io.reactorbpf.examples.run;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.btf.BtfType.Member;
import io.reactorbpf.core.map.MapBtf;
import io.reactorbpf.perf.maps.HistogramScale;
import io.reactorbpf.perf.maps.MapLayout;
import io.reactorbpf.perf.maps.MapSnapshot;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** run's text and JSON for a map's snapshot, on hand-built BTF: histograms per key, or a ranked table. */
class SnapshotTextTest {

    // 1 u32, 2 u64, 3 char, 4 u32[4], 5 char[4], 6 struct hist { slots; comm }, 7 struct key { pid }
    private static final Btf BTF = Btf.of(List.of(
            new BtfType.Int("unsigned int", 4, 0, 0, 32),
            new BtfType.Int("long long unsigned int", 8, 0, 0, 64),
            new BtfType.Int("char", 1, BtfType.Int.SIGNED, 0, 8),
            new BtfType.Array("", 1, 1, 4),
            new BtfType.Array("", 3, 1, 4),
            new BtfType.Struct("hist", 20, false, List.of(new Member("slots", 4, 0, 0), new Member("comm", 5, 128, 0))),
            new BtfType.Struct("key", 4, false, List.of(new Member("pid", 1, 0, 0)))));

    private static final MapLayout HISTOGRAMS = MapLayout.of(new MapBtf(BTF, 7, 6), 4, 20);
    private static final MapLayout COUNTS = MapLayout.of(new MapBtf(BTF, 1, 2), 4, 8);

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static byte[] hist(String comm, int... slots) {
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        Arrays.stream(slots).forEach(b::putInt);
        b.put(comm.getBytes());
        return b.array();
    }

    private static MapSnapshot snapshot(String map, MapSnapshot.Entry... entries) {
        return new MapSnapshot(map, 0, Instant.EPOCH, 0, List.of(entries));
    }

    private static MapSnapshot.Entry entry(byte[] key, byte[] value) {
        return new MapSnapshot.Entry(key, List.of(value));
    }

    @Test
    void eachKeyWithCountsPrintsItsKeyItsOtherMembersAndItsHistogram() {
        String text = new SnapshotText(HISTOGRAMS, HistogramScale.log2(), null, 10).render(snapshot("hists",
                entry(u32(7), hist("sh", 1, 0, 3, 0)),
                entry(u32(8), hist("idle", 0, 0, 0, 0))));
        String[] lines = text.split("\n", -1);
        assertTrue(lines[0].matches("\\d\\d:\\d\\d:\\d\\d hists"), lines[0]);
        assertEquals(List.of("",
                "pid = 7",
                "comm = sh",
                "     slots               : count    distribution",
                "         0 -> 1          : 1        |*************                           |",
                "         2 -> 3          : 0        |                                        |",
                "         4 -> 7          : 3        |****************************************|",
                "",
                ""), Arrays.asList(lines).subList(1, lines.length));
    }

    @Test
    void theUnitHeadsEveryHistogramAndALinearScaleNamesItsSlotsFromTheBase() {
        String text = new SnapshotText(HISTOGRAMS, HistogramScale.linear(100, 10), "MHz", 10).render(snapshot("hists",
                entry(u32(7), hist("sh", 0, 2, 0, 1))));
        assertTrue(text.contains("""
                     MHz           : count     distribution
                        110        : 2        |****************************************|
                        130        : 1        |********************                    |
                """), text);
    }

    @Test
    void aMapWithoutHistogramsIsATableRankedByItsValueAndCutAtTheLimit() {
        String text = new SnapshotText(COUNTS, HistogramScale.log2(), null, 2).render(snapshot("calls",
                entry(u32(1), u64(5)), entry(u32(22), u64(12345)), entry(u32(3), u64(40))));
        String[] lines = text.split("\n", -1);
        assertTrue(lines[0].endsWith(" calls (top 2 of 3)"), lines[0]);
        assertEquals(List.of("KEY  VALUE", " 22  12345", "  3     40", "", ""), Arrays.asList(lines).subList(1, lines.length));
    }

    @Test
    void jsonGivesEachHistogramAsItsBucketsAndKeepsTheOtherMembers() {
        String json = new SnapshotJson(HISTOGRAMS, HistogramScale.log2()).render(snapshot("hists",
                entry(u32(7), hist("sh", 1, 0, 3, 0)))).toString();
        assertEquals("{\"time\":\"1970-01-01T00:00:00Z\",\"map\":\"hists\",\"entries\":[{\"key\":{\"pid\":7},"
                + "\"value\":{\"slots\":[{\"low\":0,\"high\":1,\"count\":1},{\"low\":2,\"high\":3,\"count\":0},"
                + "{\"low\":4,\"high\":7,\"count\":3}],\"comm\":\"sh\"}}]}", json);
    }
}
