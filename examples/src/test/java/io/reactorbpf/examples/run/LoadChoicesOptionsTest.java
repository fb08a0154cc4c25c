package io.reactorbpf.examples.run;

import io.reactorbpf.core.object.AttachKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How {@code --attach}, {@code --max-entries} and {@code --value-size} values are read; no object involved. */
class LoadChoicesOptionsTest {

    @Test
    void anAttachChoiceSplitsAtTheFirstEqualsAndTheColonAfterIt() {
        assertEquals(new AttachChoice("handle_entry", AttachKind.UPROBE, "libc.so.6:getaddrinfo+0x4"),
                AttachChoice.parse("handle_entry=uprobe:libc.so.6:getaddrinfo+0x4"));
        assertEquals(new AttachChoice("p", AttachKind.URETPROBE, "/bin/bash:readline"),
                AttachChoice.parse("p=uretprobe:/bin/bash:readline"));
        assertEquals(new AttachChoice("p", AttachKind.TRACEPOINT, "sched/sched_switch"),
                AttachChoice.parse("p=tp:sched/sched_switch"));
        assertEquals(AttachKind.RAW_TRACEPOINT, AttachChoice.parse("p=raw_tp:sys_enter").kind());
    }

    @Test
    void anAttachChoiceWithoutAProgramOrTargetIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> AttachChoice.parse("=uprobe:/bin/true:main"));
        assertThrows(IllegalArgumentException.class, () -> AttachChoice.parse("p=uprobe:"));
        assertThrows(IllegalArgumentException.class, () -> AttachChoice.parse("p:uprobe=x"));
    }

    @Test
    void aMapSizeIsADecimalOrHexU32() {
        assertEquals(new MapSize("start", 10240), MapSize.parse("start=10240"));
        assertEquals(new MapSize("stacks", 0x400), MapSize.parse("stacks=0x400"));
        assertEquals(-1, MapSize.parse("big=4294967295").size(), "the kernel reads it as unsigned");
    }

    @Test
    void aMapSizeOutsideOneToU32MaxIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MapSize.parse("m=4294967296"));
        assertEquals("a map size is from 1 to 4294967295, not 4294967296", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MapSize.parse("m=-1"));
        assertThrows(IllegalArgumentException.class, () -> MapSize.parse("m="));
    }
}
