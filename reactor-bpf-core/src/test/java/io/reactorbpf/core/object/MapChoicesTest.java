package io.reactorbpf.core.object;

import io.reactorbpf.core.sys.MapType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Map sizes before load: the loader's stack map defaults and what {@link MapSpec#valueSize(int)} and
 * {@link MapSpec#maxEntries(int)} refuse, on loader_stack and loader_calls; no kernel involved.
 */
class MapChoicesTest {

    private final ObjectSpec stack = TestObjects.open("loader_stack");
    private final ObjectSpec calls = TestObjects.open("loader_calls");

    private static int perfEventMaxStack() throws IOException {
        return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/kernel/perf_event_max_stack")).get(0).strip());
    }

    @Test
    void aStackMapTheObjectLeavesUnsizedOpensWithPerfEventMaxStackFramesAndAThousandTwentyFourEntries()
            throws IOException {
        MapSpec stacks = stack.map("stacks");
        assertEquals(MapType.STACK_TRACE, stacks.type());
        assertEquals(8 * perfEventMaxStack(), stacks.valueSize());
        assertEquals(1024, stacks.maxEntries());
    }

    @Test
    void sizesTheObjectGivesAreKeptAndOtherMapTypesAreNotSizedForIt() {
        assertEquals(16 * 8, stack.map("sized_stacks").valueSize());
        assertEquals(8, stack.map("sized_stacks").maxEntries());
        assertEquals(0, stack.map("sized_later").maxEntries(), "a hash the object leaves at 0 is the tool's to size");
    }

    @Test
    void setSizesAreWhatTheSpecThenSays() {
        MapSpec hash = stack.map("sized_later").maxEntries(7).valueSize(16);
        assertEquals(7, hash.maxEntries());
        assertEquals(16, hash.valueSize());
    }

    @Test
    void loadingAMapTheObjectLeftForItsToolToSizeIsRefusedBeforeAnyMapIsCreated() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> ObjectLoader.load(stack, attr -> {
            throw new AssertionError("BPF_MAP_CREATE reached with " + attr);
        }));
        assertEquals("map 'sized_later' (HASH) of object 'loader_stack' has max_entries 0, which the kernel refuses:"
                + " the object leaves it for its tool to set; set it with MapSpec.maxEntries before load", e.getMessage());
    }

    @Test
    void aMaxEntriesOfZeroIsRefusedNamingTheMapAndLeavesItAsItWas() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> calls.map("calls").maxEntries(0));
        assertEquals("map 'calls' (HASH) cannot take max_entries 0: it must be at least 1", e.getMessage());
        assertEquals(64, calls.map("calls").maxEntries());
    }

    @Test
    void aPerfEventArrayTakesZeroEntriesForOneSlotPerCpu() {
        assertEquals(0, calls.map("events").maxEntries(0).maxEntries());
    }

    @Test
    void aValueSizeOfZeroOrLessIsRefused() {
        assertThrows(InvalidSpecException.class, () -> calls.map("calls").valueSize(0));
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> calls.map("calls").valueSize(-8));
        assertEquals("map 'calls' (HASH) cannot take value_size 4294967288: it must be at least 1 byte", e.getMessage());
    }

    @Test
    void valueSizesTheKernelFixesAreRefused() {
        InvalidSpecException ring = assertThrows(InvalidSpecException.class, () -> calls.map("ring").valueSize(8));
        assertTrue(ring.getMessage().endsWith("a ring buffer has no value size; its size in bytes is max_entries"),
                ring.getMessage());
        InvalidSpecException perf = assertThrows(InvalidSpecException.class, () -> calls.map("events").valueSize(8));
        assertTrue(perf.getMessage().endsWith("its values are 4-byte descriptors or ids"), perf.getMessage());
        assertEquals(4, calls.map("events").valueSize(4).valueSize());
    }

    @Test
    void aGlobalDataMapKeepsItsSectionsSizeAndOneEntry() {
        MapSpec rodata = calls.maps().stream().filter(MapSpec::isGlobalData).findFirst().orElseThrow();
        assertThrows(InvalidSpecException.class, () -> rodata.valueSize(rodata.valueSize() + 8));
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> rodata.maxEntries(2));
        assertTrue(e.getMessage().endsWith("a global data map has exactly one entry, the whole section"), e.getMessage());
        assertEquals(1, rodata.maxEntries(1).maxEntries());
    }

    @Test
    void aStackMapValueIsWholeFramesOfAtMostPerfEventMaxStack() throws IOException {
        MapSpec stacks = stack.map("stacks");
        assertThrows(InvalidSpecException.class, () -> stacks.valueSize(12));
        int tooDeep = 8 * (perfEventMaxStack() + 1);
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> stacks.valueSize(tooDeep));
        assertTrue(e.getMessage().contains("a multiple of 8 up to " + 8 * perfEventMaxStack()), e.getMessage());
        assertEquals(64, stacks.valueSize(64).valueSize());
    }
}
