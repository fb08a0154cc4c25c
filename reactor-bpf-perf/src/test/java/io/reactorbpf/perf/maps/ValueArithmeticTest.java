package io.reactorbpf.perf.maps;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.btf.BtfType.Member;
import io.reactorbpf.core.map.MapBtf;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.reactorbpf.perf.maps.MapLayoutTest.concat;
import static io.reactorbpf.perf.maps.MapLayoutTest.u32s;
import static io.reactorbpf.perf.maps.MapLayoutTest.u64s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Summing per-CPU values and subtracting snapshots, integer by integer, with everything else left alone. */
class ValueArithmeticTest {

    /** struct data { char comm[4]; __u32 count; __u64 total; __u32 slots[2]; } (24 bytes with padding). */
    private static final Btf DATA = Btf.of(List.of(
            new BtfType.Int("unsigned int", 4, 0, 0, 32),
            new BtfType.Int("long long unsigned int", 8, 0, 0, 64),
            new BtfType.Int("char", 1, BtfType.Int.SIGNED, 0, 8),
            new BtfType.Array("", 3, 1, 4),
            new BtfType.Array("", 1, 1, 2),
            new BtfType.Struct("data", 24, false, List.of(new Member("comm", 4, 0, 0), new Member("count", 1, 32, 0),
                    new Member("total", 2, 64, 0), new Member("slots", 5, 128, 0)))));

    private static ValueArithmetic arithmetic() {
        return MapLayout.of(new MapBtf(DATA, 1, 6), 4, 24).arithmetic().orElseThrow();
    }

    private static byte[] data(String comm, int count, long total, int slot0, int slot1) {
        byte[] name = new byte[4];
        System.arraycopy(comm.getBytes(), 0, name, 0, comm.length());
        return concat(concat(concat(name, u32s(count)), u64s(total)), u32s(slot0, slot1));
    }

    @Test
    void aSumAddsEveryIntegerAndTakesTheNameFromTheCpuThatHasOne() {
        byte[] cpu0 = data("", 0, 0, 0, 0);
        byte[] cpu1 = data("dd", 2, 100, 1, 1);
        byte[] cpu2 = data("dd", 3, 50, 0, 3);
        assertArrayEquals(data("dd", 5, 150, 1, 4), arithmetic().sum(List.of(cpu0, cpu1, cpu2)));
    }

    @Test
    void aDifferenceSubtractsEveryIntegerAndKeepsTheNewerName() {
        assertArrayEquals(data("new", 3, 40, 0, 2),
                arithmetic().minus(data("new", 10, 100, 5, 7), data("old", 7, 60, 5, 5)));
    }

    @Test
    void integersWrapAtTheirOwnWidthAsTheProgramsCountersDo() {
        // a 32-bit counter that wrapped from 0xfffffffe to 1 went up by 3
        assertArrayEquals(data("", 3, 0, 0, 0), arithmetic().minus(data("", 1, 0, 0, 0), data("", -2, 0, 0, 0)));
        assertArrayEquals(data("", 1, 0, 0, 0), arithmetic().sum(List.of(data("", -1, 0, 0, 0), data("", 2, 0, 0, 0))));
    }

    @Property
    void theDifferenceOfASumAndOneOfItsPartsIsTheOtherPart(@ForAll int c1, @ForAll long t1, @ForAll int s1,
                                                           @ForAll int c2, @ForAll long t2, @ForAll int s2) {
        byte[] a = data("ab", c1, t1, s1, s2);
        byte[] b = data("ab", c2, t2, s2, s1);
        ValueArithmetic arithmetic = arithmetic();
        assertArrayEquals(b, arithmetic.minus(arithmetic.sum(List.of(a, b)), a));
    }

    @Test
    void integersZeroLooksOnlyAtTheIntegers() {
        assertTrue(arithmetic().integersZero(data("dd", 0, 0, 0, 0)));
        assertEquals(false, arithmetic().integersZero(data("dd", 0, 0, 0, 1)));
    }

    @Test
    void aValueOfTheWrongSizeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> arithmetic().sum(List.of(new byte[8])));
        assertThrows(IllegalArgumentException.class, () -> arithmetic().minus(new byte[24], new byte[8]));
    }
}
