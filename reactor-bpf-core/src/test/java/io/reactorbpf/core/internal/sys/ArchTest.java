package io.reactorbpf.core.internal.sys;

import io.reactorbpf.core.sys.UnsupportedPlatformException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchTest {

    @Test
    void unsupportedArchitecturesAreRefusedByName() {
        assertEquals(Arch.X86_64, Arch.of("amd64", "Linux"));
        assertEquals(Arch.AARCH64, Arch.of("aarch64", "Linux"));
        UnsupportedPlatformException e = assertThrows(UnsupportedPlatformException.class, () -> Arch.of("riscv64", "Linux"));
        assertTrue(e.getMessage().contains("riscv64"), e.getMessage());
        assertThrows(UnsupportedPlatformException.class, () -> Arch.of("amd64", "Mac OS X"));
    }
}
