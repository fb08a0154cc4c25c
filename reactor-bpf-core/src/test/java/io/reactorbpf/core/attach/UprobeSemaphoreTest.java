package io.reactorbpf.core.attach;

import io.reactorbpf.core.internal.elf.ElfFile;
import io.reactorbpf.core.internal.elf.ElfSymbol;
import io.reactorbpf.core.sys.ProgType;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A uprobe with a USDT semaphore, as sys/sdt.h lays one out: a u16 in the binary's {@code .probes} section that the
 * kernel counts up while the probe is attached (ref_ctr_offset), which a program built with gcc here prints.
 */
@KernelTest
class UprobeSemaphoreTest {

    private static final String SOURCE = """
            #include <stdio.h>

            __attribute__((section(".probes"), used)) volatile unsigned short reactor_bpf_semaphore = 0;

            __attribute__((noipa)) int reactor_bpf_probed(int x) {
                return x + 1;
            }

            int main(void) {
                int n = 0;
                if (scanf("%d", &n) != 1) {
                    return 2;
                }
                printf("semaphore=%u\\n", reactor_bpf_semaphore);
                fflush(stdout);
                int s = 0;
                for (int i = 0; i < n; i++) {
                    s = reactor_bpf_probed(s);
                }
                return s == n ? 0 : 1;
            }
            """;

    @TempDir
    static Path dir;
    private static Path binary;
    private static long semaphore;

    @BeforeAll
    static void compile() throws IOException {
        binary = ProbedBinary.compileSource(dir, "semaphore", SOURCE, "-pie", "-fPIE");
        ElfFile elf = ElfFile.parseAnyMachine(Files.readAllBytes(binary));
        long address = elf.symbols().stream().filter(s -> s.name().equals("reactor_bpf_semaphore"))
                .mapToLong(ElfSymbol::value).findFirst().orElseThrow();
        semaphore = elf.fileOffsetOf(address).orElseThrow();
    }

    /** Starts the program, attaches a uprobe to it counting {@code withSemaphore} (0: none), lets it run; what it printed. */
    private static String runAttached(long withSemaphore) throws Exception {
        Process p = new ProcessBuilder(binary.toString()).redirectErrorStream(true).start();
        try (CountingProgram counter = CountingProgram.load(ProgType.KPROBE, CountingProgram.ANY_PROCESS,
                UnaryOperator.identity());
             BpfLink link = Uprobe.attach(counter.program(), false, new UprobeTarget(binary,
                     ProbedBinary.FUNCTION, 0), withSemaphore, (int) p.pid())) {
            try (Writer in = p.outputWriter(StandardCharsets.US_ASCII)) {
                in.write("3\n");
            }
            String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the program still runs");
            assertEquals(0, p.exitValue());
            assertEquals(3, counter.count(), "the probe fired for each call");
            return line;
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void theKernelCountsTheSemaphoreUpWhileTheProbeIsAttached() throws Exception {
        assertEquals("semaphore=1", runAttached(semaphore));
    }

    @Test
    void withoutASemaphoreTheGuardStaysZero() throws Exception {
        assertEquals("semaphore=0", runAttached(0));
    }
}
