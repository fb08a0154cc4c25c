package io.reactorbpf.examples.run;

import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.core.object.ObjectSpec;
import io.reactorbpf.core.object.VariableException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --set} over the parsed test object, whose {@code kind} is a {@code const volatile enum probe_kind}. */
class GlobalAssignmentTest {

    private static ObjectSpec probe() {
        return BpfObject.open(Path.of(RunCommandTest.object("getpgid_probe.bpf.o")));
    }

    @Test
    void anEnumTakesAnEnumeratorsName() {
        ObjectSpec spec = probe();
        GlobalAssignment.parse("kind=PROBE_TRACED").applyTo(spec);
        assertEquals(2, spec.variable("kind").getLong());
    }

    @Test
    void anEnumStillTakesANumber() {
        ObjectSpec spec = probe();
        GlobalAssignment.parse("kind=0x1").applyTo(spec);
        assertEquals(1, spec.variable("kind").getLong());
    }

    @Test
    void anUnknownEnumeratorNamesTheOnesTheTypeHas() {
        VariableException e = assertThrows(VariableException.class,
                () -> GlobalAssignment.parse("kind=PROBE_FAST").applyTo(probe()));
        assertTrue(e.getMessage().contains("give one of PROBE_PLAIN, PROBE_FLAGGED, PROBE_TRACED or a number,"
                + " not 'PROBE_FAST'"), e.getMessage());
    }

    @Test
    void anEnumeratorNameIsNoIntegersValue() {
        VariableException e = assertThrows(VariableException.class,
                () -> GlobalAssignment.parse("target_pid=PROBE_TRACED").applyTo(probe()));
        assertTrue(e.getMessage().contains("give a decimal or 0x-hexadecimal integer"), e.getMessage());
    }
}
