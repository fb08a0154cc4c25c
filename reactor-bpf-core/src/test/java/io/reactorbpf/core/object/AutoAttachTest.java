package io.reactorbpf.core.object;

import io.reactorbpf.core.BpfException;
import io.reactorbpf.core.attach.AttachException;
import io.reactorbpf.core.attach.AttachTargetNotFoundException;
import io.reactorbpf.core.attach.BpfLink;
import io.reactorbpf.core.attach.FunctionTracing;
import io.reactorbpf.core.attach.PerfEventAttach;
import io.reactorbpf.core.attach.ProbedBinary;
import io.reactorbpf.core.attach.UnsupportedAttachException;
import io.reactorbpf.core.map.ArrayMap;
import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.internal.sys.Arch;
import io.reactorbpf.core.sys.MapCreateAttr;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.internal.sys.Native;
import io.reactorbpf.core.sys.PerfEventAttr;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * loader_attach.bpf.o through the loader and {@link BpfObject#attachAll()}, one section kind per test: each
 * program counts its runs in its slot of the "counts" map, which the test creates and the object reuses, so the
 * count can still be read after the object is closed to show that closing detached the program.
 */
@KernelTest
class AutoAttachTest {

    private static final int CALLS = 25;
    private static final int SLOTS = 12;
    private static final int TRACEPOINT = 0;
    private static final int TP = 1;
    private static final int RAW_TP = 2;
    private static final int TP_BTF = 3;
    private static final int UPROBE = 4;
    private static final int URETPROBE = 5;
    private static final int KPROBE = 6;
    private static final int FENTRY = 7;
    private static final int FEXIT = 8;
    private static final int SOCKET = 9;
    private static final int XDP = 10;
    private static final int PERF_EVENT = 11;

    @TempDir
    static Path dir;
    private static Path probed;

    private BpfMap counts;

    @BeforeAll
    static void compile() {
        probed = ProbedBinary.compile(dir, false);
    }

    @BeforeEach
    void createCounts() {
        counts = BpfMap.create(MapCreateAttr.of(MapType.ARRAY, "counts", 4, 8, SLOTS));
    }

    @AfterEach
    void closeCounts() {
        counts.close();
    }

    /** The getpgid syscall entry the architecture's syscall table calls. */
    private static String getpgidEntry() {
        return Native.arch() == Arch.X86_64 ? "__x64_sys_getpgid" : "__arm64_sys_getpgid";
    }

    /** loader_attach with only {@code programs} loaded, filtering on this process, counting into {@link #counts}. */
    private ObjectSpec only(String... programs) {
        ObjectSpec spec = TestObjects.open("loader_attach");
        Set<String> wanted = Set.of(programs);
        spec.programs().forEach(p -> p.autoload(wanted.contains(p.name())));
        spec.map("counts").reuse(counts);
        spec.variable("target_tgid").set(Native.getpid());
        spec.variable("getpgid_nr").set(Native.arch() == Arch.X86_64 ? 121 : 155);
        for (String p : List.of("on_kprobe", "on_fentry", "on_fexit")) {
            spec.program(p).attachTarget(getpgidEntry());
        }
        return spec;
    }

    private long count(int slot) {
        return new ArrayMap(counts).getLong(slot);
    }

    private static void getpgid(int n) {
        for (int i = 0; i < n; i++) {
            Native.libc().getpgid(0);
        }
    }

    /** Loads {@code program} alone, attaches it with attachAll, counts {@link #CALLS} getpgid calls exactly, and none after close. */
    private void countsGetpgidUntilClosed(String program, int slot, String describe) {
        countsGetpgidUntilClosed(only(program), slot, describe);
    }

    /** Loads {@code spec}, whose one program counts into {@code slot}, as {@link #countsGetpgidUntilClosed(String, int, String)}. */
    private void countsGetpgidUntilClosed(ObjectSpec spec, int slot, String describe) {
        try (BpfObject obj = spec.load()) {
            List<BpfLink> links = obj.attachAll();
            assertEquals(1, links.size());
            assertEquals(describe, links.get(0).describe());
            getpgid(CALLS);
            assertEquals(CALLS, count(slot));
        }
        getpgid(CALLS);
        assertEquals(CALLS, count(slot), "the program still ran after its object was closed");
    }

    /** Loads {@code program} alone with target {@code PROBED:FUNCTION}; counts the calls of one run, none after close. */
    private void countsProbedCallsUntilClosed(String program, int slot, String describe) {
        ObjectSpec spec = only(program);
        spec.program(program).attachTarget(probed + ":" + ProbedBinary.FUNCTION);
        try (BpfObject obj = spec.load()) {
            assertEquals(describe, obj.attachAll().get(0).describe());
            ProbedBinary.run(probed, CALLS);
            assertEquals(CALLS, count(slot));
        }
        ProbedBinary.run(probed, CALLS);
        assertEquals(CALLS, count(slot), "the probe still fired after its object was closed");
    }

    @Test
    void tracepointSectionCountsGetpgidCallsOfThisProcessUntilTheObjectCloses() {
        countsGetpgidUntilClosed("on_tracepoint", TRACEPOINT, "tracepoint syscalls:sys_enter_getpgid");
    }

    @Test
    void tpSectionCountsGetpgidCallsOfThisProcessUntilTheObjectCloses() {
        countsGetpgidUntilClosed("on_tp", TP, "tracepoint syscalls:sys_enter_getpgid");
    }

    @Test
    void rawTpSectionCountsGetpgidCallsOfThisProcessUntilTheObjectCloses() {
        countsGetpgidUntilClosed("on_raw_tp", RAW_TP, "raw_tracepoint sys_enter");
    }

    @Test
    void tpBtfSectionCountsGetpgidCallsOfThisProcessUntilTheObjectCloses() {
        countsGetpgidUntilClosed("on_tp_btf", TP_BTF, "tp_btf sys_enter");
    }

    @Test
    void uprobeWithATargetSetBeforeLoadCountsEveryCallUntilTheObjectCloses() {
        countsProbedCallsUntilClosed("on_uprobe", UPROBE, "uprobe " + probed + ":" + ProbedBinary.FUNCTION);
    }

    @Test
    void uretprobeWithATargetSetBeforeLoadCountsEveryReturnUntilTheObjectCloses() {
        countsProbedCallsUntilClosed("on_uretprobe", URETPROBE, "uretprobe " + probed + ":" + ProbedBinary.FUNCTION);
    }

    @Test
    void kprobeSectionCountsGetpgidCallsOrSaysTheKernelHasNoKprobes() {
        if (Files.isDirectory(Path.of("/sys/bus/event_source/devices/kprobe"))) {
            countsGetpgidUntilClosed("on_kprobe", KPROBE, "kprobe " + getpgidEntry());
            return;
        }
        try (BpfObject obj = only("on_kprobe").load()) {
            UnsupportedAttachException e = assertThrows(UnsupportedAttachException.class, obj::attachAll);
            assertEquals("program 'on_kprobe' in section 'kprobe/__x64_sys_getpgid': this kernel has no kprobe support"
                    + " (no /sys/bus/event_source/devices/kprobe; it needs CONFIG_KPROBES and CONFIG_KPROBE_EVENTS)",
                    e.getMessage());
        }
    }

    @Test
    void fentrySectionCountsGetpgidCallsOrTheLoaderSaysTheKernelRefusesFunctionTracers() {
        functionTracerCountsOrIsRefused("on_fentry", FENTRY, "fentry/__x64_sys_getpgid");
    }

    @Test
    void fexitSectionCountsGetpgidReturnsOrTheLoaderSaysTheKernelRefusesFunctionTracers() {
        functionTracerCountsOrIsRefused("on_fexit", FEXIT, "fexit/__x64_sys_getpgid");
    }

    private void functionTracerCountsOrIsRefused(String program, int slot, String section) {
        String kind = section.substring(0, section.indexOf('/'));
        if (FunctionTracing.supported()) {
            countsGetpgidUntilClosed(program, slot, kind + " " + getpgidEntry());
            return;
        }
        UnsupportedAttachException e = assertThrows(UnsupportedAttachException.class, () -> only(program).load());
        assertEquals("program '" + program + "' in section '" + section + "' cannot load: "
                + FunctionTracing.refusal().orElseThrow(), e.getMessage());
        assertTrue(e.getMessage().contains("BPF_PROG_LOAD fails with EPERM even for an empty fentry program"), e.getMessage());
        assertTrue(e.getMessage().endsWith("; use tp_btf or raw_tp programs instead"), e.getMessage());
    }

    @Test
    void socketProgramRunsUnderTestRunAndHasNoAutoAttachTarget() {
        try (BpfObject obj = only("on_socket").load()) {
            assertEquals(List.of(), obj.attachAll());
            obj.program("on_socket").testRun(new byte[64]);
            assertEquals(1, count(SOCKET));
            NoAutoAttachException e = assertThrows(NoAutoAttachException.class, () -> obj.program("on_socket").attach());
            assertEquals("program 'on_socket' in section 'socket' has no auto-attach target: attach its fd() to a socket"
                    + " with setsockopt(SO_ATTACH_BPF), or run it with testRun", e.getMessage());
        }
    }

    @Test
    void xdpProgramRunsUnderTestRunAndHasNoAutoAttachTarget() {
        try (BpfObject obj = only("on_xdp").load()) {
            assertEquals(List.of(), obj.attachAll());
            assertEquals(2, obj.program("on_xdp").testRun(new byte[64]).retval(), "XDP_PASS");
            assertEquals(1, count(XDP));
            NoAutoAttachException e = assertThrows(NoAutoAttachException.class, () -> obj.program("on_xdp").attach());
            assertTrue(e.getMessage().startsWith("program 'on_xdp' in section 'xdp' has no auto-attach target: attach its"
                    + " fd() to a network interface"), e.getMessage());
        }
    }

    @Test
    void perfEventProgramIsAttachedByHandAndStopsWithItsLink() {
        PerfEventAttr cpuClock = PerfEventAttr.of(PerfEventAttr.TYPE_SOFTWARE, PerfEventAttr.COUNT_SW_CPU_CLOCK).sampleFreq(1000);
        try (BpfObject obj = only("on_perf_event").load()) {
            assertEquals(List.of(), obj.attachAll());
            NoAutoAttachException e = assertThrows(NoAutoAttachException.class, () -> obj.program("on_perf_event").attach());
            assertTrue(e.getMessage().contains("PerfEventAttach.attachEachCpu"), e.getMessage());
            try (BpfLink link = PerfEventAttach.attachEachCpu(obj.program("on_perf_event").fd(), cpuClock)) {
                assertTrue(awaitCountAbove(PERF_EVENT, 0, 5_000), "no cpu-clock sample ran the program");
            }
        }
        long after = count(PERF_EVENT);
        assertTrue(!awaitCountAbove(PERF_EVENT, after, 50), "the program still ran after its link and object were closed");
    }

    @Test
    void perfEventProgramGivenAnEventBeforeLoadIsAttachedOnEveryCpuByAttachAll() {
        ObjectSpec spec = only("on_perf_event");
        spec.program("on_perf_event").attach(AttachKind.PERF_EVENT, "cpu-clock@1000");
        try (BpfObject obj = spec.load()) {
            List<BpfLink> links = obj.attachAll();
            assertEquals(1, links.size());
            assertEquals(io.reactorbpf.core.sys.CpuSet.online().size(), links.get(0).parts().size(), "one per CPU");
            assertTrue(awaitCountAbove(PERF_EVENT, 0, 5_000), "no cpu-clock sample ran the program");
        }
        long after = count(PERF_EVENT);
        assertTrue(!awaitCountAbove(PERF_EVENT, after, 50), "the program still ran after its object was closed");
    }

    @Test
    void aPerfEventTargetThatIsNoEventAtARateIsRefusedBeforeLoadSayingTheForm() {
        ObjectSpec spec = only("on_perf_event");
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> spec.program("on_perf_event").attach(AttachKind.PERF_EVENT, "cpu-clocks@99"));
        assertEquals("program 'on_perf_event' cannot attach as PERF_EVENT: perf_event target 'cpu-clocks@99' is not"
                + " EVENT@HZ or EVENT/PERIOD with a positive number (e.g. cpu-clock@99); EVENT is one of cpu-clock,"
                + " task-clock, page-faults, context-switches, cpu-migrations, cycles, instructions, cache-references,"
                + " cache-misses, branch-instructions, branch-misses, ref-cycles", e.getMessage());
        assertThrows(InvalidSpecException.class,
                () -> spec.program("on_perf_event").attach(AttachKind.PERF_EVENT, "cpu-clock/0"));
        assertThrows(InvalidSpecException.class, () -> only("on_tracepoint").program("on_tracepoint")
                .attach(AttachKind.PERF_EVENT, "cpu-clock@99"), "a tracepoint program takes no perf event");
    }

    /** Spins, keeping a CPU busy for the cpu-clock samples, until slot {@code slot} exceeds {@code floor} or {@code millis} pass. */
    private boolean awaitCountAbove(int slot, long floor, long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() - deadline < 0) {
            if (count(slot) > floor) {
                return true;
            }
        }
        return count(slot) > floor;
    }

    @Test
    void attachAllSkipsProgramsWithoutAnAutoAttachTarget() {
        try (BpfObject obj = only("on_tracepoint", "on_socket", "on_uprobe", "on_perf_event").load()) {
            List<BpfLink> links = obj.attachAll();
            assertEquals(List.of("tracepoint syscalls:sys_enter_getpgid"), links.stream().map(BpfLink::describe).toList());
            NoAutoAttachException e = assertThrows(NoAutoAttachException.class, () -> obj.program("on_uprobe").attach());
            assertTrue(e.getMessage().contains("ProgramSpec.attachTarget(\"PATH:FUNCTION[+OFFSET]\")"), e.getMessage());
        }
    }

    @Test
    void attachAllAgainKeepsTheLinksItMadeAndAttachesNothingTwice() {
        try (BpfObject obj = only("on_tracepoint", "on_raw_tp").load()) {
            List<BpfLink> first = obj.attachAll();
            assertEquals(first, obj.attachAll());
            getpgid(CALLS);
            assertEquals(CALLS, count(TRACEPOINT));
            assertEquals(CALLS, count(RAW_TP));
        }
    }

    @Test
    void failedAttachDetachesWhatAttachAllAttachedAndNamesTheProgramAndSection() {
        ObjectSpec spec = only("on_tracepoint", "on_raw_tp");
        spec.program("on_raw_tp").attachTarget("no_such_raw_tracepoint");
        try (BpfObject obj = spec.load()) {
            AttachTargetNotFoundException e = assertThrows(AttachTargetNotFoundException.class, obj::attachAll);
            assertTrue(e.getMessage().startsWith("program 'on_raw_tp' in section 'raw_tp/sys_enter': "), e.getMessage());
            assertTrue(e.getMessage().contains("no_such_raw_tracepoint"), e.getMessage());
            getpgid(CALLS);
            assertEquals(0, count(TRACEPOINT), "the tracepoint attached before the failure was not detached");
        }
    }

    @Test
    void programAttachedByHandStaysAttachedUntilItsLinkCloses() {
        try (BpfObject obj = only("on_tracepoint").load()) {
            try (BpfLink link = obj.program("on_tracepoint").attach()) {
                getpgid(CALLS);
            }
            getpgid(CALLS);
            assertEquals(CALLS, count(TRACEPOINT));
        }
    }

    @Test
    void tracepointTargetWithoutAGroupIsRefusedNamingIt() {
        ObjectSpec spec = only("on_tracepoint");
        spec.program("on_tracepoint").attachTarget("sys_enter_getpgid");
        try (BpfObject obj = spec.load()) {
            AttachException e = assertThrows(AttachException.class, obj::attachAll);
            assertEquals("program 'on_tracepoint' in section 'tracepoint/syscalls/sys_enter_getpgid': tracepoint target"
                    + " 'sys_enter_getpgid' is not GROUP/NAME (e.g. syscalls/sys_enter_execve)", e.getMessage());
        }
    }

    @Test
    void kprobeTargetWithABadOffsetIsRefusedNamingIt() {
        ObjectSpec spec = only("on_kprobe");
        spec.program("on_kprobe").attachTarget(getpgidEntry() + "+0xzz");
        try (BpfObject obj = spec.load()) {
            AttachException e = assertThrows(AttachException.class, () -> obj.program("on_kprobe").attach());
            assertTrue(e.getMessage().endsWith("'0xzz' is not a decimal or 0x-hex offset"), e.getMessage());
        }
    }

    @Test
    void aKprobeSectionProgramAttachedAsAUprobeCountsTheCallsOfTheFunctionItWasPointedAt() {
        Process process = ProbedBinary.start(probed);
        try {
            ObjectSpec spec = only("on_kprobe");
            spec.variable("target_tgid").set((int) process.pid());
            spec.program("on_kprobe").attach(AttachKind.UPROBE, probed + ":" + ProbedBinary.FUNCTION);
            try (BpfObject obj = spec.load()) {
                assertEquals(List.of("uprobe " + probed + ":" + ProbedBinary.FUNCTION),
                        obj.attachAll().stream().map(BpfLink::describe).toList());
                ProbedBinary.finish(process, CALLS);
                assertEquals(CALLS, count(KPROBE));
            }
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aTracepointProgramPointedAtAnotherTracepointRunsThere() {
        ObjectSpec spec = only("on_tracepoint");
        spec.program("on_tracepoint").attach(AttachKind.TRACEPOINT, "syscalls/sys_exit_getpgid");
        countsGetpgidUntilClosed(spec, TRACEPOINT, "tracepoint syscalls:sys_exit_getpgid");
    }

    @Test
    void aProgramWithAutoloadOffIsNeitherLoadedNorAttachedAndIsListedByName() {
        ObjectSpec spec = only("on_tracepoint", "on_tp");
        spec.program("on_tp").autoload(false);
        try (BpfObject obj = spec.load()) {
            assertEquals(List.of("on_tracepoint"), obj.programs().stream().map(BpfProgram::name).toList());
            assertEquals(spec.programs().stream().map(ProgramSpec::name).filter(n -> !n.equals("on_tracepoint")).toList(),
                    obj.notLoaded());
            assertEquals(1, obj.attachAll().size());
            ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> obj.program("on_tp"));
            assertEquals("object 'loader_attach' has no loaded program 'on_tp': its autoload was off"
                    + " (ProgramSpec.autoload); loaded: [on_tracepoint]", e.getMessage());
            getpgid(CALLS);
            assertEquals(CALLS, count(TRACEPOINT));
            assertEquals(0, count(TP));
        }
    }

    @Test
    void attachAllOnAClosedObjectIsRefused() {
        BpfObject obj = only("on_tracepoint").load();
        obj.close();
        assertThrows(BpfException.class, obj::attachAll);
        getpgid(CALLS);
        assertEquals(0, count(TRACEPOINT));
    }
}
