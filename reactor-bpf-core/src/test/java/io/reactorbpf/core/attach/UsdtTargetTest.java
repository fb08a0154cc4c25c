package io.reactorbpf.core.attach;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code PATH:PROVIDER:NAME}, as a usdt section writes its target. */
class UsdtTargetTest {

    @Test
    void aPathAProviderAndAName() {
        assertEquals(new UsdtTarget(Path.of("/usr/lib/libjvm.so"), "hotspot", "gc__begin"),
                UsdtTarget.parse("/usr/lib/libjvm.so:hotspot:gc__begin"));
    }

    @Test
    void aPathMayHoldAColonTheLastTwoSeparateProviderAndName() {
        assertEquals(new UsdtTarget(Path.of("/opt/a:b/app"), "app", "tick"), UsdtTarget.parse("/opt/a:b/app:app:tick"));
    }

    @Test
    void aLibraryNamedWithoutASlashIsLookedUpAsUprobesLookItUp() {
        UsdtTarget t = UsdtTarget.parse("libc.so.6:libc:setjmp");
        assertEquals(UprobeTarget.resolve("libc.so.6"), t.binary());
        assertEquals("libc", t.provider());
    }

    @Test
    void aTargetWithoutThreePartsIsRefusedShowingTheForm() {
        for (String spec : new String[] {"/bin/app", "/bin/app:tick", "/bin/app::tick", "/bin/app:app:", ":app:tick"}) {
            AttachException e = assertThrows(AttachException.class, () -> UsdtTarget.parse(spec), spec);
            assertTrue(e.getMessage().contains("is not PATH:PROVIDER:NAME"), e.getMessage());
        }
    }
}
