package io.reactorbpf.core.sys;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuSetTest {

    @Test
    void parsesRangesAndSinglesAsSysfsWritesThem() {
        CpuSet set = CpuSet.parse("0-3,5,7-8\n");
        assertArrayEquals(new int[] {0, 1, 2, 3, 5, 7, 8}, set.toArray());
        assertEquals("0-3,5,7-8", set.toString());
        assertEquals(9, set.span());
    }

    @Test
    void emptyListIsEmptySet() {
        assertEquals(0, CpuSet.parse("\n").size());
        assertEquals(0, CpuSet.parse("").span());
    }

    @Test
    void nonContiguousSetKnowsItsMembers() {
        CpuSet set = CpuSet.parse("1,3");
        assertTrue(set.contains(3));
        assertFalse(set.contains(2));
        assertArrayEquals(new int[] {1}, set.below(3).toArray());
    }

    @Test
    void malformedListsNameTheBadPart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuSet.parse("0-x"));
        assertTrue(e.getMessage().contains("0-x"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CpuSet.parse("3-1"));
    }

    @Test
    void thisMachinesOnlineCpusArePossible() {
        CpuSet online = CpuSet.online();
        CpuSet possible = CpuSet.possible();
        assertTrue(online.size() > 0);
        for (int cpu : online.toArray()) {
            assertTrue(possible.contains(cpu), "online CPU " + cpu + " not in possible " + possible);
        }
    }
}
