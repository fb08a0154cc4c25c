package io.reactorbpf.core.object;

import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.core.testing.RingBufLostObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A loaded object's globals: .rodata is frozen at load, and a write says so instead of a bare EPERM. */
@KernelTest
class FrozenRodataKernelTest {

    @Test
    void settingARodataVariableAfterLoadSaysItWasFrozenAndHowToSetIt() {
        try (RingBufLostObject rb = RingBufLostObject.load(1)) {
            GlobalVariable burst = rb.object().variable("burst");
            VariableException e = assertThrows(VariableException.class, () -> burst.set(2));
            assertEquals("variable 'burst' is in .rodata, which the loader froze at load (the kernel refuses every"
                    + " write to it, from programs and from user space): set it on the ObjectSpec before load(), or"
                    + " declare it without const to keep it writable", e.getMessage());
            assertEquals(1, burst.getLong(), "reading it still works");
        }
    }

    @Test
    void aBssVariableStaysWritableAfterLoad() {
        try (RingBufLostObject rb = RingBufLostObject.load(1)) {
            rb.object().variable("reserve_failures").set(5);
            assertEquals(5, rb.reserveFailures());
        }
    }
}
