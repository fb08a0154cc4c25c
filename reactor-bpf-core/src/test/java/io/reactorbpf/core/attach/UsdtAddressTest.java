package io.reactorbpf.core.attach;

import io.reactorbpf.core.map.ArrayMap;
import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.core.object.ObjectSpec;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * USDT on a kernel without BPF cookies, as usdt.bpf.h then runs: loader_usdt.bpf.o's on_tick_by_address finds a probe's spec by the
 * site's address in {@code __bpf_usdt_ip_to_spec_id}, which {@link Usdt#attach} fills instead of passing cookies:
 * the link-time address in an executable, the address in the traced process for a position-independent one.
 */
@KernelTest
class UsdtAddressTest {

    private static final int CALLS = 3;
    private static final long COOKIE = 0xBEEF;

    @TempDir
    static Path dir;
    private static Path pie;
    private static Path fixed;

    @BeforeAll
    static void compile() {
        pie = ProbedBinary.compileUsdt(dir, "tick-pie", "-pie", "-fPIE");
        fixed = ProbedBinary.compileUsdt(dir, "tick-fixed", "-no-pie", "-fno-PIE");
    }

    private static BpfObject load(long pid) throws IOException {
        try (InputStream in = UsdtAddressTest.class.getResourceAsStream("/bpf/loader/loader_usdt.bpf.o")) {
            ObjectSpec spec = BpfObject.open(in.readAllBytes(), "loader_usdt");
            spec.program("on_tick").autoload(false);
            spec.variable("target_tgid").set(pid);
            return spec.load();
        }
    }

    private static UsdtSpecs specs(BpfObject obj) {
        return UsdtSpecs.of(obj.map(UsdtSpecs.MAP), obj.map(UsdtSpecs.IP_MAP));
    }

    /** The cookie and argument count each hit found, in hit order. */
    private static List<List<Long>> hits(BpfObject obj) {
        ArrayMap hits = new ArrayMap(obj.map("hits"));
        List<List<Long>> out = new ArrayList<>();
        for (int i = 0; i < hits.length(); i++) {
            ByteBuffer b = ByteBuffer.wrap(hits.get(i)).order(ByteOrder.nativeOrder());
            // struct hit: a, b, c, then the cookie and the argument count
            if (b.getLong(32) != 0) {
                out.add(List.of(b.getLong(24), b.getLong(32)));
            }
        }
        return out;
    }

    private static void attachRunAndCheck(Path binary, boolean withPid) throws Exception {
        Process p = ProbedBinary.start(binary);
        try (BpfObject obj = load(p.pid())) {
            UsdtSpecs specs = specs(obj);
            try (BpfLink link = Usdt.attach(obj.program("on_tick_by_address").fd(),
                    new UsdtTarget(binary, "reactor_bpf", "tick"), withPid ? (int) p.pid() : -1, COOKIE, specs,
                    false)) {
                assertEquals(2, link.parts().size());
                assertTrue(obj.map(UsdtSpecs.IP_MAP).keys().iterator().hasNext(), "the sites' addresses are mapped");
                ProbedBinary.finish(p, CALLS);
                assertEquals(Collections.nCopies(2 * CALLS, List.of(COOKIE, 3L)), hits(obj),
                        "every hit found its spec by its address");
            }
            assertFalse(obj.map(UsdtSpecs.IP_MAP).keys().iterator().hasNext(), "closing the link unmaps them");
            assertEquals(0, specs.inUse());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void inAPositionIndependentExecutableTheSitesAddressesComeFromTheProcessMappings() throws Exception {
        attachRunAndCheck(pie, true);
    }

    @Test
    void inAnExecutableThatIsNotPositionIndependentTheLinkTimeAddressesServeEveryProcess() throws Exception {
        attachRunAndCheck(fixed, false);
    }

    @Test
    void aPositionIndependentBinaryWithoutAPidIsRefusedSayingWhy() throws Exception {
        try (BpfObject obj = load(1)) {
            UnsupportedAttachException e = assertThrows(UnsupportedAttachException.class, () -> Usdt.attach(
                    obj.program("on_tick_by_address").fd(), new UsdtTarget(pie, "reactor_bpf", "tick"), -1, 0,
                    specs(obj), false));
            assertTrue(e.getMessage().contains("give a pid"), e.getMessage());
            assertFalse(obj.map(UsdtSpecs.IP_MAP).keys().iterator().hasNext(), "nothing is left mapped");
        }
    }
}
