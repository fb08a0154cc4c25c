package io.reactorbpf.core.object;

import io.reactorbpf.core.attach.AttachTargetNotFoundException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link ProgramSpec#attach} takes and refuses before load, on loader_attach's programs; no kernel involved. */
class ProgramChoicesTest {

    private final ObjectSpec spec = TestObjects.open("loader_attach");

    @Test
    void aKprobeSectionProgramIsRetargetedAsAUprobeOnABinarysFunction() {
        ProgramSpec p = spec.program("on_kprobe").attach(AttachKind.UPROBE, "/usr/bin/true:main+0x4");
        assertEquals(AttachKind.UPROBE, p.attachKind());
        assertEquals("/usr/bin/true:main+0x4", p.attachTarget());
        assertEquals(AttachKind.KPROBE, p.section().attach(), "the section still says what the object says");
    }

    @Test
    void aKprobeProgramIsRetargetedAsAUretprobeAndATracepointOntoAnotherTracepoint() {
        assertEquals(AttachKind.URETPROBE, spec.program("on_kprobe").attach(AttachKind.URETPROBE, "/usr/bin/true:main")
                .attachKind());
        assertEquals("syscalls/sys_exit_getpgid", spec.program("on_tracepoint")
                .attach(AttachKind.TRACEPOINT, "syscalls/sys_exit_getpgid").attachTarget());
    }

    @Test
    void anAttachKindThatDoesNotTakeTheProgramsTypeIsRefusedNamingBoth() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> spec.program("on_tracepoint").attach(AttachKind.UPROBE, "/usr/bin/true:main"));
        assertEquals("program 'on_tracepoint' is a TRACEPOINT program; a UPROBE attach takes a KPROBE program",
                e.getMessage());
        assertEquals(AttachKind.TRACEPOINT, spec.program("on_tracepoint").attachKind(), "nothing changed");
    }

    @Test
    void noneIsRefusedPointingAtAutoload() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> spec.program("on_uprobe").attach(AttachKind.NONE, ""));
        assertTrue(e.getMessage().endsWith("NONE attaches nothing (turn autoload off to skip the program)"), e.getMessage());
    }

    @Test
    void aUprobeTargetWithoutAFunctionIsRefusedAndLeavesTheProgramAsItWas() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> spec.program("on_uprobe").attach(AttachKind.UPROBE, "/usr/bin/true"));
        assertEquals("program 'on_uprobe' cannot attach as UPROBE: uprobe target '/usr/bin/true': expected"
                + " PATH:FUNCTION[+OFFSET] or PATH:OFFSET", e.getMessage());
        assertEquals("", spec.program("on_uprobe").attachTarget());
    }

    @Test
    void aTracepointTargetWithoutAGroupAndAKprobeOffsetThatIsNoNumberAreRefused() {
        assertThrows(InvalidSpecException.class,
                () -> spec.program("on_tp").attach(AttachKind.TRACEPOINT, "sys_enter_getpgid"));
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> spec.program("on_kprobe").attach(AttachKind.KPROBE, "do_sys_open+x"));
        assertTrue(e.getMessage().endsWith("'x' is not a decimal or 0x-hex offset"), e.getMessage());
    }

    @Test
    void aUprobeLibraryThatIsNowhereIsNotFoundNamingTheProgram() {
        AttachTargetNotFoundException e = assertThrows(AttachTargetNotFoundException.class,
                () -> spec.program("on_uprobe").attach(AttachKind.UPROBE, "libno-such-library.so.9:f"));
        assertTrue(e.getMessage().startsWith("program 'on_uprobe' in section 'uprobe': uprobe binary"
                + " libno-such-library.so.9 was not found"), e.getMessage());
    }
}
