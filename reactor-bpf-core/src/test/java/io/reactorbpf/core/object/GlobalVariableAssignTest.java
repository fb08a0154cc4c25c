package io.reactorbpf.core.object;

import io.reactorbpf.core.testing.RingBufLostObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Text read by a variable's BTF type, over loader_calls' {@code __u32 target_pid}, {@code __u64 multiplier} and
 * {@code char tag[8]}, and ringbuf_lost's {@code __s32 target_pid}.
 */
class GlobalVariableAssignTest {

    private final ObjectSpec calls = TestObjects.open("loader_calls");

    @Test
    void anIntegerTakesDecimalAndHexadecimal() {
        assertEquals(4242, calls.variable("target_pid").assign("4242").getLong());
        assertEquals(0xffff_ffff_ffffL, calls.variable("multiplier").assign("0xffffffffffff").getLong());
    }

    @Test
    void anUnsignedIntegerRefusesANegativeNumberNamingItsRange() {
        VariableException e = assertThrows(VariableException.class, () -> calls.variable("target_pid").assign("-1"));
        assertTrue(e.getMessage().contains("'target_pid'") && e.getMessage().contains("0 to 4294967295"),
                e.getMessage());
    }

    @Test
    void aSignedIntegerTakesANegativeNumber() {
        ObjectSpec lost = BpfObject.open(RingBufLostObject.bytes(), "ringbuf_lost");
        assertEquals(-7, lost.variable("target_pid").assign("-7").getLong());
    }

    @Test
    void aCharArrayTakesTheTextAsAString() {
        assertEquals("execs", calls.variable("tag").assign("execs").getString());
    }

    @Test
    void textThatIsNoNumberNamesTheVariableAndTheFormsItTakes() {
        VariableException e = assertThrows(VariableException.class,
                () -> calls.variable("multiplier").assign("twice"));
        assertEquals("variable 'multiplier' is const volatile __u64; give a decimal or 0x-hexadecimal integer,"
                + " not 'twice'", e.getMessage());
    }

    @Test
    void aNumberWiderThan64BitsIsRefused() {
        VariableException e = assertThrows(VariableException.class,
                () -> calls.variable("multiplier").assign("0x1" + "0".repeat(16)));
        assertTrue(e.getMessage().contains("wider than 64 bits"), e.getMessage());
    }
}
