package io.reactorbpf.core.object;

import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.MapCreateAttr;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The map memory limit refuses a map before BPF_MAP_CREATE. Maps are created only through a counting
 * {@code mapCreate}, so a refusal can be shown to have made no call; the maps that do reach the kernel are tiny.
 */
class MapMemoryLimitTest {

    /** max_entries of the per-CPU array that made this kernel allocate ~20 GB and oops. */
    private static final int HUGE_ENTRIES = (int) 2_463_786_194L;

    /** What a map may be to reach the kernel from these tests, whatever the limit under test says. */
    private static final long SAFE_MAP_BYTES = 1 << 20;

    private final AtomicInteger creates = new AtomicInteger();
    /** Counts and never calls the kernel: for the tests that expect a refusal. */
    private final Function<MapCreateAttr, FileDescriptor> refusing = attr -> {
        creates.incrementAndGet();
        throw new AssertionError("BPF_MAP_CREATE reached with " + attr);
    };
    /** Counts and calls the kernel, for small maps only. */
    private final Function<MapCreateAttr, FileDescriptor> counting = attr -> {
        creates.incrementAndGet();
        long bytes = MapMemory.estimate(MapType.of(attr.mapType()), attr.keySize(), attr.valueSize(),
                attr.maxEntries(), attr.mapExtra(), 1024, 4096);
        if (bytes > SAFE_MAP_BYTES) {
            throw new AssertionError("a test map must stay under " + SAFE_MAP_BYTES + " bytes: " + attr);
        }
        return Bpf.mapCreate(attr);
    };

    @Test
    void aPerCpuArrayOfBillionsOfEntriesIsRefusedWithoutAnyMapCreate() {
        ObjectSpec spec = TestObjects.open("loader_small");
        spec.map("counts").type(MapType.PERCPU_ARRAY).maxEntries(HUGE_ENTRIES);
        MapMemoryLimitException e = assertThrows(MapMemoryLimitException.class, () -> ObjectLoader.load(spec, refusing));
        assertEquals(0, creates.get(), "BPF_MAP_CREATE calls");
        assertEquals("counts", e.map());
        assertEquals(MapType.PERCPU_ARRAY, e.type());
        assertTrue(e.estimate() > e.limit());
        for (String part : new String[] {"loader_small", "'counts'", "PERCPU_ARRAY", "max_entries=2463786194", "GiB",
                "ObjectSpec.mapMemoryLimit", "-Dreactorbpf.mapMemoryLimit"}) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void theInnerTemplateOfAMapInMapIsCheckedToo() {
        ObjectSpec spec = TestObjects.open("loader_calls");
        spec.map("outer").inner().maxEntries(HUGE_ENTRIES).type(MapType.PERCPU_ARRAY);
        MapMemoryLimitException e = assertThrows(MapMemoryLimitException.class, () -> ObjectLoader.load(spec, refusing));
        assertEquals(0, creates.get(), "BPF_MAP_CREATE calls");
        assertEquals("outer.inner", e.map());
    }

    @Test
    void theDefaultLimitIsOneGibibyte() {
        assertEquals(1L << 30, TestObjects.open("loader_small").mapMemoryLimit());
    }

    @Test
    void limitsAreWrittenInBytesOrWithASuffix() {
        assertEquals(123, MapMemoryLimit.parse("123"));
        assertEquals(64L << 10, MapMemoryLimit.parse("64k"));
        assertEquals(512L << 20, MapMemoryLimit.parse("512M"));
        assertEquals(2L << 30, MapMemoryLimit.parse(" 2g "));
    }

    @Test
    void aLimitThatIsNoPositiveSizeIsRefusedNamingTheProperty() {
        for (String bad : new String[] {"0", "-1", "lots", "9999999999g", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MapMemoryLimit.parse(bad));
            assertTrue(e.getMessage().contains("reactorbpf.mapMemoryLimit"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> TestObjects.open("loader_small").mapMemoryLimit(0));
    }

    @Test
    @KernelTest
    void everyMapOfAnObjectWithinTheLimitIsCreatedThroughTheCountedCall() {
        try (BpfObject obj = ObjectLoader.load(TestObjects.open("loader_small"), counting)) {
            assertEquals(obj.maps().size(), creates.get(), "BPF_MAP_CREATE calls");
        }
    }

    @Test
    @KernelTest
    void aLoweredLimitRefusesASmallMapAndARaisedOneAdmitsIt() {
        ObjectSpec spec = TestObjects.open("loader_small").mapMemoryLimit(8 << 10);
        spec.map("counts").maxEntries(4096);
        assertThrows(MapMemoryLimitException.class, () -> ObjectLoader.load(spec, refusing));
        assertEquals(0, creates.get(), "BPF_MAP_CREATE calls");
        try (BpfObject obj = ObjectLoader.load(spec.mapMemoryLimit(1 << 20), counting)) {
            assertEquals(4096, obj.map("counts").maxEntries());
        }
    }
}
