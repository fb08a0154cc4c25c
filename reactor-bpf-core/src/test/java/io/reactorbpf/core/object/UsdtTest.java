package io.reactorbpf.core.object;

import io.reactorbpf.core.attach.AttachException;
import io.reactorbpf.core.attach.AttachTargetNotFoundException;
import io.reactorbpf.core.attach.BpfLink;
import io.reactorbpf.core.attach.ProbedBinary;
import io.reactorbpf.core.attach.UsdtTarget;
import io.reactorbpf.core.internal.elf.ElfFile;
import io.reactorbpf.core.internal.elf.StapsdtNote;
import io.reactorbpf.core.internal.elf.UsdtArgument;
import io.reactorbpf.core.map.ArrayMap;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * USDT programs as libbpf runs them: loader_usdt.bpf.o (BPF_USDT from bpf/usdt.bpf.h) on a program built here with
 * SystemTap's sys/sdt.h, whose probe {@code reactor_bpf:tick} has two sites with a semaphore and arguments in all
 * three forms (register, constant, memory). The program records what bpf_usdt_arg(), bpf_usdt_cookie() and
 * bpf_usdt_arg_cnt() return at each hit.
 */
@KernelTest
class UsdtTest {

    private static final int CALLS = 3;
    private static final long COOKIE = 0xC0FFEE;

    @TempDir
    static Path dir;
    private static Path binary;

    @BeforeAll
    static void compile() throws Exception {
        binary = ProbedBinary.compileUsdt(dir, "tick", "-pie", "-fPIE");
        Set<UsdtArgument.Kind> kinds = EnumSet.noneOf(UsdtArgument.Kind.class);
        for (StapsdtNote n : StapsdtNote.read(ElfFile.parseAnyMachine(Files.readAllBytes(binary)))) {
            UsdtArgument.parse(n.arguments()).forEach(a -> kinds.add(a.kind()));
        }
        assertEquals(EnumSet.allOf(UsdtArgument.Kind.class), kinds, "gcc put the arguments in every form");
    }

    private static ObjectSpec usdtObject(long pid) {
        ObjectSpec spec = TestObjects.open("loader_usdt");
        spec.program("on_tick_by_address").autoload(false);
        spec.variable("target_tgid").set(pid);
        return spec;
    }

    /** {@link #usdtObject} with the program's target set as a {@code usdt/PATH:PROVIDER:NAME} section sets it. */
    private static ObjectSpec sectionObject(long pid) {
        ObjectSpec spec = usdtObject(pid);
        spec.program("on_tick").attachTarget(binary + ":reactor_bpf:tick");
        return spec;
    }

    private static UsdtTarget tick() {
        return new UsdtTarget(binary, "reactor_bpf", "tick");
    }

    /** The hits recorded: a, b, c, cookie, arg count each. */
    private static List<List<Long>> hits(BpfObject obj) {
        ArrayMap hits = new ArrayMap(obj.map("hits"));
        List<List<Long>> out = new ArrayList<>();
        for (int i = 0; i < hits.length(); i++) {
            ByteBuffer b = ByteBuffer.wrap(hits.get(i)).order(ByteOrder.nativeOrder());
            List<Long> hit = List.of(b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24), b.getLong(32));
            if (hit.get(4) != 0) {
                out.add(hit);
            }
        }
        return out;
    }

    private static List<List<Long>> expectedHits(long cookie) {
        List<List<Long>> out = new ArrayList<>();
        for (long i = 0; i < CALLS; i++) {
            out.add(List.of(i, -7L, -i, cookie, 3L));
        }
        for (long i = 0; i < CALLS; i++) {
            out.add(List.of(i * 1000, 42L, -i, cookie, 3L));
        }
        return out;
    }

    @Test
    void theProgramReadsEveryArgumentAndTheCookieAtEachSiteOfTheProbe() {
        Process p = ProbedBinary.start(binary);
        try (BpfObject obj = usdtObject(p.pid()).load();
             BpfLink link = obj.program("on_tick").attachUsdt(tick(), (int) p.pid(), COOKIE)) {
            assertEquals(2, link.parts().size(), "one uprobe per site: " + link.describe());
            ProbedBinary.finish(p, CALLS);
            assertEquals(expectedHits(COOKIE), hits(obj));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void withoutAnAttachedProbeTheSemaphoreStaysDownAndNothingIsRecorded() {
        Process p = ProbedBinary.start(binary);
        try (BpfObject obj = usdtObject(p.pid()).load()) {
            obj.program("on_tick").attachUsdt(tick(), (int) p.pid(), COOKIE).close();
            ProbedBinary.finish(p, CALLS);
            assertEquals(List.of(), hits(obj));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aSectionNamingTheProbeIsAttachedByAttachAllInEveryProcess() {
        Process p = ProbedBinary.start(binary);
        try (BpfObject obj = sectionObject(p.pid()).load()) {
            List<BpfLink> links = obj.attachAll();
            assertEquals("usdt " + binary + ":reactor_bpf:tick (2 sites)", links.get(0).describe());
            ProbedBinary.finish(p, CALLS);
            assertEquals(expectedHits(0), hits(obj));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void attachedForAnotherProcessTheProbeDoesNotFireInThisOne() {
        Process p = ProbedBinary.start(binary);
        Process other = ProbedBinary.start(binary);
        try (BpfObject obj = sectionObject(p.pid()).load()) {
            assertEquals("usdt " + binary + ":reactor_bpf:tick (2 sites, pid " + other.pid() + ")",
                    obj.attachAll((int) other.pid()).get(0).describe());
            ProbedBinary.finish(p, CALLS);
            assertEquals(List.of(), hits(obj));
            ProbedBinary.finish(other, CALLS);
        } finally {
            p.destroyForcibly();
            other.destroyForcibly();
        }
    }

    @Test
    void specIdsComeBackWhenALinkIsClosed() {
        try (BpfObject obj = usdtObject(1).load()) {
            BpfProgram prog = obj.program("on_tick");
            BpfLink first = prog.attachUsdt(tick(), -1, 1);
            AttachException full = assertThrows(AttachException.class, () -> prog.attachUsdt(tick(), -1, 2));
            assertTrue(full.getMessage().contains("all 2 entries of map '__bpf_usdt_specs'"), full.getMessage());
            first.close();
            for (int i = 0; i < 5; i++) {
                prog.attachUsdt(tick(), -1, 3).close();
            }
        }
    }

    @Test
    void aMissingProbeIsNamedWithTheProbesItsProviderHas() {
        try (BpfObject obj = usdtObject(1).load()) {
            AttachTargetNotFoundException e = assertThrows(AttachTargetNotFoundException.class,
                    () -> obj.program("on_tick").attachUsdt(new UsdtTarget(binary, "reactor_bpf", "tock"), -1, 0));
            assertEquals("program 'on_tick' in section 'usdt': no USDT probe reactor_bpf:tock in " + binary
                    + " (provider reactor_bpf has: tick, ...); list its probes with: readelf -n " + binary, e.getMessage());
        }
    }

    @Test
    void aProgramWhoseObjectLacksTheSpecMapIsRefusedWithTheFix() {
        ObjectSpec spec = TestObjects.open("loader_attach");
        spec.programs().forEach(p -> p.autoload(p.name().equals("on_uprobe")));
        try (BpfObject obj = spec.load()) {
            AttachException e = assertThrows(AttachException.class,
                    () -> obj.program("on_uprobe").attachUsdt(tick(), -1, 0));
            assertTrue(e.getMessage().contains("defines no __bpf_usdt_specs map"), e.getMessage());
            assertFalse(e.getMessage().contains("null"), e.getMessage());
        }
    }
}
