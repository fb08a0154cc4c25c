package io.reactorbpf.core.symbol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KallsymsTest {

    @TempDir
    Path dir;

    @Test
    void anAddressResolvesToTheNearestFunctionAtOrBelowItWithItsModule() throws IOException {
        Kallsyms k = Kallsyms.read(Files.writeString(dir.resolve("kallsyms"), """
                ffffffff81000000 T _stext
                ffffffff81000100 t do_one
                ffffffff81000200 D some_data
                ffffffff81000300 W weak_fn
                ffffffffc0001000 t ext4_fn\t[ext4]
                """));

        assertEquals(4, k.size(), "text symbols only");
        assertEquals(new StackFrame(0xffffffff81000150L, "do_one", 0x50, "[kernel]"), k.resolve(0xffffffff81000150L));
        assertEquals(new StackFrame(0xffffffff81000300L, "weak_fn", 0, "[kernel]"), k.resolve(0xffffffff81000300L));
        assertEquals(new StackFrame(0xffffffffc0001010L, "ext4_fn", 0x10, "[ext4]"), k.resolve(0xffffffffc0001010L));
        assertEquals("[unknown]", k.resolve(0x1000).name(), "below every symbol");
    }

    @Test
    void aListingWithEveryAddressZeroSaysHowToSeeThem() throws IOException {
        Path file = Files.writeString(dir.resolve("kallsyms"), "0000000000000000 T _stext\n0000000000000000 t f\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Kallsyms.read(file));
        assertTrue(e.getMessage().endsWith("shows every address as 0: run as root (CAP_SYSLOG) or set sysctl"
                + " kernel.kptr_restrict=0 to resolve kernel stack traces"), e.getMessage());
    }

    @Test
    void theRunningKernelsListingResolvesItsOwnSyscallEntry() throws IOException {
        long entry = Files.readAllLines(Path.of("/proc/kallsyms")).stream().filter(l -> l.endsWith(" do_syscall_64"))
                .mapToLong(l -> Long.parseUnsignedLong(l.substring(0, l.indexOf(' ')), 16)).findFirst().orElseThrow();
        assertEquals("do_syscall_64", Kallsyms.read().resolve(entry + 4).function());
    }
}
