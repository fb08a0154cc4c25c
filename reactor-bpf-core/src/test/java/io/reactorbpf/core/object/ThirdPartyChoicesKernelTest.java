package io.reactorbpf.core.object;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.map.MapEntry;
import io.reactorbpf.core.sys.MapInfo;
import io.reactorbpf.core.internal.sys.Native;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unmodified libbpf-tools objects (Debian's, see the README beside them) that load only after the choices their
 * tools make before load: offcputime's and wakeuptime's unsized stack maps, cpudist's unsized hashes and its
 * program pair of which the tool loads one.
 */
@KernelTest
class ThirdPartyChoicesKernelTest {

    private static ObjectSpec open(String name) throws IOException {
        try (InputStream in = ThirdPartyChoicesKernelTest.class.getResourceAsStream("/bpf/thirdparty/" + name + ".bpf.o")) {
            return BpfObject.open(in.readAllBytes(), name);
        }
    }

    @Test
    void offcputimeRecordsTheKernelStackOfThisProcessBlockingInItsDefaultSizedStackMap() throws Exception {
        ObjectSpec spec = open("offcputime");
        spec.variable("targ_tgid").set(Native.getpid());
        try (BpfObject obj = spec.load()) {
            obj.attachAll();
            for (int i = 0; i < 5; i++) {
                Thread.sleep(5);  // the workload: this thread goes off CPU, which offcputime records
            }
            BpfMap stacks = obj.map("stackmap");
            List<MapEntry> mine = obj.map("info").entries().stream()
                    .filter(e -> ByteBuffer.wrap(e.key()).order(ByteOrder.nativeOrder()).getInt(4) == Native.getpid())
                    .toList();
            assertTrue(!mine.isEmpty(), "no off-CPU record of this process");
            int kernelStack = ByteBuffer.wrap(mine.get(0).key()).order(ByteOrder.nativeOrder()).getInt(12);
            assertTrue(kernelStack >= 0, "kernel stack id " + kernelStack);
            byte[] frames = stacks.lookup(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(kernelStack)
                    .array()).orElseThrow();
            assertEquals(8 * StackTraceDefaults.maxStack(), frames.length);
            assertEquals(StackTraceDefaults.MAX_ENTRIES, MapInfo.of(stacks.fd()).maxEntries());
        }
    }

    @Test
    void wakeuptimeLoadsWithItsStackMapSizedByDefault() throws IOException {
        try (BpfObject obj = open("wakeuptime").load()) {
            assertEquals(8 * StackTraceDefaults.maxStack(), MapInfo.of(obj.map("stackmap").fd()).valueSize());
        }
    }

    @Test
    void cpudistLoadsItsTpBtfProgramWithItsHashesSizedAsTheToolSizesThem() throws IOException {
        ObjectSpec spec = open("cpudist");
        spec.map("start").maxEntries(1024);
        spec.map("hists").maxEntries(1);
        spec.program("sched_switch_tp").autoload(false);
        try (BpfObject obj = spec.load()) {
            assertEquals(List.of("sched_switch_btf"), obj.programs().stream().map(BpfProgram::name).toList());
            assertEquals(List.of("sched_switch_tp"), obj.notLoaded());
            assertEquals(1024, MapInfo.of(obj.map("start").fd()).maxEntries());
            assertEquals(1, MapInfo.of(obj.map("hists").fd()).maxEntries());
        }
    }
}
