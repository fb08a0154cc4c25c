package io.reactorbpf.perf.maps;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfLinkage;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.btf.BtfType.Member;
import io.reactorbpf.core.map.MapBtf;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Histograms and integers found in a value's BTF by shape, and its keys and values as JSON; hand-built BTF. */
class MapLayoutTest {

    // ids: 1 u32, 2 u64, 3 char, 4 s32, 5 u32[4], 6 char[4], 7 s32[2], 8 u8 (unsigned char), 9 u8[3]
    private static final List<BtfType> BASE = List.of(
            new BtfType.Int("unsigned int", 4, 0, 0, 32),
            new BtfType.Int("long long unsigned int", 8, 0, 0, 64),
            new BtfType.Int("char", 1, BtfType.Int.SIGNED, 0, 8),
            new BtfType.Int("int", 4, BtfType.Int.SIGNED, 0, 32),
            new BtfType.Array("", 1, 1, 4),
            new BtfType.Array("", 3, 1, 4),
            new BtfType.Array("", 4, 1, 2),
            new BtfType.Int("unsigned char", 1, 0, 0, 8),
            new BtfType.Array("", 8, 1, 3));

    private static Btf btf(BtfType... more) {
        List<BtfType> types = new ArrayList<>(BASE);
        types.addAll(List.of(more));
        return Btf.of(types);
    }

    private static MapLayout layout(Btf btf, int keyType, int valueType) {
        return MapLayout.of(new MapBtf(btf, keyType, valueType), keyType == 0 ? 4 : (int) btf.resolveSize(keyType),
                (int) btf.resolveSize(valueType));
    }

    @Test
    void aValueThatIsAnArrayOfUnsignedSlotsIsOneHistogram() {
        MapLayout layout = layout(btf(), 1, 5);
        assertEquals(List.of(new HistogramField(List.of(), 0, 4, 4)), layout.histograms());
    }

    @Test
    void aStructMemberThatIsAnArrayOfUnsignedSlotsIsAHistogramNamedByItsPath() {
        // struct hist { __u32 slots[4]; char comm[4]; }, as runqlat's; struct info { __u64 count; struct hist h; }
        Btf btf = btf(new BtfType.Struct("hist", 20, false, List.of(new Member("slots", 5, 0, 0),
                        new Member("comm", 6, 128, 0))),
                new BtfType.Struct("info", 28, false, List.of(new Member("count", 2, 0, 0), new Member("h", 10, 64, 0))));
        assertEquals(List.of(new HistogramField(List.of("slots"), 0, 4, 4)), layout(btf, 1, 10).histograms());
        assertEquals(List.of(new HistogramField(List.of("h", "slots"), 8, 4, 4)), layout(btf, 1, 11).histograms());
        assertEquals("h.slots", layout(btf, 1, 11).histograms().get(0).name());
    }

    @Test
    void signedCharAndByteArraysAreNoHistograms() {
        Btf btf = btf(new BtfType.Struct("s", 20, false, List.of(new Member("signed", 7, 0, 0),
                new Member("name", 6, 64, 0), new Member("bytes", 9, 96, 0))));
        assertEquals(List.of(), layout(btf, 1, 10).histograms());
    }

    @Test
    void anArrayOfStructsHoldsNoHistogramsButItsIntegersCount() {
        // struct hist { __u32 slots[4]; } hists[2]: softirqs' shape, whose slots belong to each element
        Btf btf = btf(new BtfType.Struct("hist", 16, false, List.of(new Member("slots", 5, 0, 0))),
                new BtfType.Array("", 10, 1, 2));
        MapLayout layout = layout(btf, 1, 11);
        assertEquals(List.of(), layout.histograms());
        assertTrue(layout.hasIntegers());
        byte[] a = u32s(1, 2, 3, 4, 5, 6, 7, 8);
        assertArrayEquals(u32s(2, 4, 6, 8, 10, 12, 14, 16), layout.arithmetic().orElseThrow().sum(List.of(a, a)));
    }

    @Test
    void aDataSectionsArrayVariableIsAHistogramNamedByTheVariable() {
        // funclatency keeps its histogram in .bss: __u32 hist[4]; next to a counter
        Btf btf = btf(new BtfType.Var("calls", 2, BtfLinkage.GLOBAL), new BtfType.Var("hist", 5, BtfLinkage.GLOBAL),
                new BtfType.Datasec(".bss", 24, List.of(new BtfType.VarSecinfo(10, 0, 8),
                        new BtfType.VarSecinfo(11, 8, 16))));
        MapLayout layout = layout(btf, 0, 12);
        assertEquals(List.of(new HistogramField(List.of("hist"), 8, 4, 4)), layout.histograms());
        assertEquals("{\"calls\":3,\"hist\":[1,0,2,0]}", layout.value(concat(u64s(3), u32s(1, 0, 2, 0))).toString());
    }

    @Test
    void aLoneIntegerIsACounterAndAStructIsNot() {
        Btf btf = btf(new BtfType.Typedef("__u64", 2), new BtfType.Struct("s", 8, false,
                List.of(new Member("x", 2, 0, 0))));
        assertTrue(layout(btf, 1, 10).isLoneInteger());
        assertFalse(layout(btf, 1, 11).isLoneInteger());
        assertEquals(List.of(), layout(btf, 1, 10).histograms());
    }

    @Test
    void largestFirstOrdersByTheFirstIntegerAsDeclared() {
        Btf btf = btf(new BtfType.Struct("s", 12, false, List.of(new Member("name", 6, 0, 0),
                new Member("delta", 4, 32, 0), new Member("count", 1, 64, 0))));
        Comparator<byte[]> order = layout(btf, 1, 10).largestFirst().orElseThrow();
        byte[] minusOne = concat("abc\0".getBytes(), u32s(-1, 0));
        byte[] two = concat("abc\0".getBytes(), u32s(2, 0));
        assertTrue(order.compare(two, minusOne) < 0, "signed: 2 before -1");
        Comparator<byte[]> unsigned = MapLayout.untyped(4, 4).largestFirst().orElseThrow();
        assertTrue(unsigned.compare(u32s(-1), u32s(2)) < 0, "unsigned: 0xffffffff before 2");
        assertTrue(layout(btf(), 1, 6).largestFirst().isEmpty(), "a string has no integer");
    }

    @Test
    void keysAndValuesAreJsonByTheirTypes() {
        Btf btf = btf(new BtfType.Struct("hist_key", 4, false, List.of(new Member("comm", 6, 0, 0))));
        MapLayout layout = layout(btf, 10, 5);
        assertEquals("{\"comm\":\"dd\"}", layout.key("dd\0\0".getBytes()).toString());
        assertEquals("[1,2,3,4]", layout.value(u32s(1, 2, 3, 4)).toString());
    }

    @Test
    void withoutBtfIntegerSizedKeysAndValuesAreUnsignedNumbersAndOthersHex() {
        MapLayout layout = MapLayout.untyped(4, 8);
        assertEquals("4294967295", layout.key(u32s(-1)).toString());
        assertEquals("18446744073709551615", layout.value(u64s(-1)).toString());
        assertTrue(layout.isLoneInteger());
        MapLayout bytes = MapLayout.untyped(3, 12);
        assertEquals("\"0a0b0c\"", bytes.key(new byte[] {10, 11, 12}).toString());
        assertFalse(bytes.hasIntegers());
        assertTrue(bytes.arithmetic().isEmpty());
    }

    @Test
    void typesThatDoNotFitTheSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> MapLayout.of(new MapBtf(btf(), 1, 5), 4, 8));
    }

    static byte[] u32s(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    static byte[] u64s(long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
