package io.reactorbpf.core.object;

import io.reactorbpf.core.attach.BpfLink;
import io.reactorbpf.core.map.ArrayMap;
import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.map.MapBtf;
import io.reactorbpf.core.map.MapCodec;
import io.reactorbpf.core.map.MapException;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.internal.sys.Native;
import io.reactorbpf.core.sys.SyscallException;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import io.reactorbpf.core.internal.sys.PseudoFs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading loader_calls.bpf.o into the kernel and running its programs. */
@KernelTest
class ObjectLoadTest {

    private static final byte[] PACKET = new byte[64];

    @Test
    void staticGlobalSubprogramsAndLoopCallbackRunInAnXdpProgram() {
        ObjectSpec spec = TestObjects.open("loader_calls");
        spec.variable("multiplier").set(3);
        try (BpfObject obj = spec.load()) {
            assertEquals(2, obj.program("xdp_calc").testRun(PACKET).retval(), "XDP_PASS");
            // bpf_loop sums 0..4 = 10, add_one makes 11, scaled by the .rodata multiplier 3
            assertEquals(33, obj.variable("xdp_result").getLong());
        }
    }

    @Test
    void theSameSubprogramsServeASecondProgram() {
        ObjectSpec spec = TestObjects.open("loader_calls");
        spec.variable("multiplier").set(4);
        try (BpfObject obj = spec.load()) {
            obj.program("socket_calc").testRun(PACKET);
            assertEquals(41, obj.variable("socket_result").getLong());
        }
    }

    @Test
    void rodataFilterAndCountersWorkThroughATracepoint() {
        ObjectSpec spec = TestObjects.open("loader_calls");
        spec.variable("target_pid").set(Native.getpid());
        spec.variable("multiplier").set(2);
        try (BpfObject obj = spec.load();
             BpfLink link = obj.program("on_getpgid").attach()) {
            for (int i = 0; i < 10; i++) {
                Native.libc().getpgid(0);
            }
            assertEquals(Optional.of(10L), obj.map("calls").as(MapCodec.INT, MapCodec.LONG).get(1));
            assertEquals(10, new ArrayMap(obj.map("per_cpu")).getLong(0));
            assertEquals(20, obj.variable("getpgid_hits").getLong(), "10 calls of scaled(add_one(0)) with multiplier 2");
        }
    }

    @Test
    void autoloadOffProgramIsNotLoaded() {
        try (BpfObject obj = TestObjects.open("loader_calls").load()) {
            assertFalse(obj.programs().stream().anyMatch(p -> p.name().equals("not_autoloaded")));
            assertThrows(ObjectFormatException.class, () -> obj.program("not_autoloaded"));
        }
    }

    @Test
    void autoloadCanBeTurnedOnBeforeLoad() {
        ObjectSpec spec = TestObjects.open("loader_calls");
        spec.program("not_autoloaded").autoload(true);
        try (BpfObject obj = spec.load()) {
            assertEquals(1, obj.program("not_autoloaded").testRun(PACKET).retval(), "XDP_DROP");
        }
    }

    @Test
    void rodataIsFrozenAfterItsContentsAreWritten() {
        ObjectSpec spec = TestObjects.open("loader_calls");
        spec.variable("multiplier").set(5);
        try (BpfObject obj = spec.load()) {
            assertEquals(5, obj.variable("multiplier").getLong());
            assertThrows(VariableException.class, () -> obj.variable("multiplier").set(6));
            BpfMap rodata = obj.map(ObjectReader.internalMapName("loader_calls", ".rodata"));
            // the kernel itself refuses: the map was frozen, not just guarded here
            assertThrows(SyscallException.class, () -> rodata.update(new byte[4], new byte[rodata.valueSize()]));
        }
    }

    @Test
    void dataAndBssAreWritableAfterLoad() {
        try (BpfObject obj = TestObjects.open("loader_calls").load()) {
            assertEquals(7, obj.variable("data_counter").getLong());
            obj.variable("xdp_result").set(99);
            assertEquals(99, obj.variable("xdp_result").getLong());
        }
    }

    @Test
    void mapInMapSlotsHoldTheInitialInnerMaps() {
        try (BpfObject obj = TestObjects.open("loader_calls").load()) {
            BpfMap outer = obj.map("outer");
            assertTrue(outer.lookup(new byte[] {0, 0, 0, 0}).isPresent());
            assertFalse(outer.lookup(new byte[] {1, 0, 0, 0}).isPresent());
            assertTrue(outer.lookup(new byte[] {2, 0, 0, 0}).isPresent());
        }
    }

    @Test
    void createdMapsHaveTheDefinedShape() {
        try (BpfObject obj = TestObjects.open("loader_calls").load()) {
            BpfMap ring = obj.map("ring");
            assertEquals(ObjectLoader.maxEntries(TestObjects.open("loader_calls").map("ring")), ring.maxEntries());
            assertEquals(64, obj.map("calls").maxEntries());
            assertEquals(io.reactorbpf.core.sys.CpuSet.possible().span(), obj.map("events").maxEntries());
        }
    }

    @Test
    void createdMapsCarryTheKeyAndValueTypesTheObjectDeclared() {
        try (BpfObject obj = TestObjects.open("loader_calls").load()) {
            MapBtf calls = obj.map("calls").btf().orElseThrow();
            assertEquals("__u32", calls.btf().describe(calls.keyTypeId()));
            assertEquals("__u64", calls.btf().describe(calls.valueTypeId()));
            assertEquals(Optional.empty(), obj.map("events").btf(), "the kernel types no perf event array");
            assertEquals(Optional.empty(), obj.map("outer").btf(), "nor a map of maps");
        }
    }

    @Test
    void aGlobalDataMapIsTypedByItsDataSection() {
        try (BpfObject obj = TestObjects.open("loader_calls").load()) {
            BpfMap bss = obj.maps().stream().filter(m -> m.name().endsWith(".bss")).findFirst().orElseThrow();
            MapBtf types = bss.btf().orElseThrow();
            assertEquals(OptionalInt.empty(), types.keyType());
            assertTrue(types.btf().type(types.valueTypeId()) instanceof BtfType.Datasec d && d.name().equals(".bss"),
                    types.btf().describe(types.valueTypeId()));
        }
    }

    @Test
    void typesThatDoNotFitTheMapAreRefused() {
        try (BpfObject obj = TestObjects.open("loader_calls").load()) {
            MapBtf u64 = obj.map("calls").btf().orElseThrow();
            BpfMap ring = obj.map("ring");
            assertThrows(MapException.class, () -> ring.typedBy(u64));
            assertThrows(IllegalStateException.class, () -> obj.map("calls").typedBy(u64));
        }
    }

    @Test
    void programUsingAMapThatIsNotCreatedFailsNamingTheMap() {
        ObjectSpec spec = TestObjects.open("loader_calls");
        spec.map("calls").autocreate(false);
        RelocationException e = assertThrows(RelocationException.class, spec::load);
        assertTrue(e.getMessage().contains("'on_getpgid'") && e.getMessage().contains("'calls'"), e.getMessage());
    }

    @Test
    void mapThatIsNotCreatedCanBeLeftOutWithItsPrograms() {
        ObjectSpec spec = TestObjects.open("loader_calls");
        spec.map("calls").autocreate(false);
        spec.program("on_getpgid").autoload(false);
        try (BpfObject obj = spec.load()) {
            assertThrows(ObjectFormatException.class, () -> obj.map("calls"));
        }
    }

    @Test
    void pinnedMapIsReusedByTheNextLoadAndAnIncompatiblePinIsRefused() throws Exception {
        Path pin = PseudoFs.BPFFS.mountPoint().resolve("reactor_bpf_loader_test_" + ProcessHandle.current().pid());
        try {
            ObjectSpec spec = TestObjects.open("loader_calls");
            spec.map("loader_pinned").pinPath(pin);
            try (BpfObject first = spec.load()) {
                assertTrue(Files.exists(pin));
                new ArrayMap(first.map("loader_pinned")).set(1, new byte[] {42, 0, 0, 0});
            }
            try (BpfObject second = spec.load()) {
                assertEquals(42, new ArrayMap(second.map("loader_pinned")).get(1)[0]);
            }
            spec.map("loader_pinned").maxEntries(3);
            ObjectFormatException e = assertThrows(ObjectFormatException.class, spec::load);
            assertTrue(e.getMessage().contains(pin.toString()), e.getMessage());
        } finally {
            Files.deleteIfExists(pin);
        }
    }

    @Test
    void verifierRejectionNamesProgramAndSectionAndCarriesTheLog() {
        ProgramLoadException e = assertThrows(ProgramLoadException.class, () -> TestObjects.open("loader_reject").load());
        assertEquals("unchecked_lookup", e.program());
        assertEquals("socket", e.section());
        assertTrue(e.log().contains("invalid mem access"), e.log());
        assertTrue(e.getMessage().contains("'unchecked_lookup'") && e.getMessage().contains("'socket'"));
        assertTrue(e.getMessage().contains(e.log()));
    }
}
