package io.reactorbpf.core.object;

import io.reactorbpf.core.sys.AttachType;
import io.reactorbpf.core.sys.ProgType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgramSectionTest {

    @ParameterizedTest
    @CsvSource({
            "tracepoint/syscalls/sys_enter_execve, TRACEPOINT, TRACEPOINT, syscalls/sys_enter_execve",
            "tp/sched/sched_switch, TRACEPOINT, TRACEPOINT, sched/sched_switch",
            "raw_tracepoint/sched_switch, RAW_TRACEPOINT, RAW_TRACEPOINT, sched_switch",
            "raw_tp/sys_enter, RAW_TRACEPOINT, RAW_TRACEPOINT, sys_enter",
            "tp_btf/sched_process_exec, TRACING, TRACING, sched_process_exec",
            "fentry/do_unlinkat, TRACING, TRACING, do_unlinkat",
            "fexit/do_unlinkat, TRACING, TRACING, do_unlinkat",
            "kprobe/do_sys_open, KPROBE, KPROBE, do_sys_open",
            "kretprobe/do_sys_open, KPROBE, KRETPROBE, do_sys_open",
            "uprobe/bin/bash:readline, KPROBE, UPROBE, bin/bash:readline",
            "uretprobe//usr/lib/libc.so.6:malloc+0x10, KPROBE, URETPROBE, /usr/lib/libc.so.6:malloc+0x10",
            "usdt/usr/lib/libjvm.so:hotspot:gc__begin, KPROBE, USDT, usr/lib/libjvm.so:hotspot:gc__begin",
            "usdt, KPROBE, USDT, ''",
            "usdt.s//bin/app:app:tick, KPROBE, USDT, /bin/app:app:tick",
            "perf_event, PERF_EVENT, NONE, ''",
            "socket, SOCKET_FILTER, NONE, ''",
            "xdp, XDP, NONE, ''",
            "tc, SCHED_CLS, NONE, ''",
            "classifier, SCHED_CLS, NONE, ''",
    })
    void sectionNameGivesTypeAttachKindAndTarget(String section, ProgType type, AttachKind attach, String target) {
        ProgramSection s = ProgramSection.parse(section, "p");
        assertEquals(type, s.type());
        assertEquals(attach, s.attach());
        assertEquals(target, s.target());
        assertTrue(s.autoload());
    }

    @Test
    void bareUprobeHasNoTarget() {
        ProgramSection s = ProgramSection.parse("uprobe", "p");
        assertEquals(AttachKind.UPROBE, s.attach());
        assertEquals("", s.target());
    }

    @Test
    void tracingSectionsCarryTheirExpectedAttachType() {
        assertEquals(AttachType.TRACE_RAW_TP, ProgramSection.parse("tp_btf/x", "p").expectedAttachType());
        assertEquals(AttachType.TRACE_FENTRY, ProgramSection.parse("fentry/x", "p").expectedAttachType());
        assertEquals(AttachType.TRACE_FEXIT, ProgramSection.parse("fexit/x", "p").expectedAttachType());
        assertEquals(AttachType.MODIFY_RETURN, ProgramSection.parse("fmod_ret/x", "p").expectedAttachType());
        assertNull(ProgramSection.parse("tracepoint/a/b", "p").expectedAttachType());
    }

    @Test
    void sleepableVariantsSetTheSleepableFlag() {
        ProgramSection s = ProgramSection.parse("fentry.s/do_unlinkat", "p");
        assertTrue(s.sleepable());
        assertEquals("do_unlinkat", s.target());
        assertEquals(ProgramSection.F_SLEEPABLE, s.progFlags());
        assertFalse(ProgramSection.parse("fentry/do_unlinkat", "p").sleepable());
    }

    @Test
    void leadingQuestionMarkTurnsAutoloadOff() {
        ProgramSection s = ProgramSection.parse("?xdp", "p");
        assertFalse(s.autoload());
        assertEquals(ProgType.XDP, s.type());
    }

    @Test
    void exactSectionsDoNotTakeATarget() {
        assertThrows(UnknownSectionException.class, () -> ProgramSection.parse("socket/extra", "p"));
    }

    @Test
    void unknownSectionNamesTheSectionProgramAndSupportedPrefixes() {
        UnknownSectionException e = assertThrows(UnknownSectionException.class,
                () -> ProgramSection.parse("frobnicate/now", "mystery"));
        assertEquals("frobnicate/now", e.section());
        assertTrue(e.getMessage().contains("'mystery'"), e.getMessage());
        assertTrue(e.getMessage().contains("tracepoint/..."), e.getMessage());
        assertTrue(e.getMessage().contains("xdp"), e.getMessage());
    }
}
