package io.reactorbpf.core.sys;

import io.reactorbpf.core.internal.sys.ProgLoadAttr;
import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.asm.AluOp;
import io.reactorbpf.core.asm.Assembler;
import io.reactorbpf.core.asm.JumpOp;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import static io.reactorbpf.core.asm.Register.R0;
import static io.reactorbpf.core.asm.Register.R1;
import static io.reactorbpf.core.asm.Register.R2;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BPF_PROG_LOAD's verifier log: asked for or not, a rejection carries all of it. */
@KernelTest
class ProgLoadTest {

    /** Sums 1..n in a bounded loop, then reads the uninitialized R2: the verifier walks every iteration, then refuses. */
    private static byte[] loopThenUninitializedRead(int n) {
        return new Assembler()
                .mov64(R0, 0)
                .mov64(R1, 1)
                .label("loop")
                .alu64(AluOp.ADD, R0, R1)
                .alu64(AluOp.ADD, R1, 1)
                .jmp(JumpOp.JLE, R1, n, "loop")
                .mov64(R0, R2)
                .exit()
                .build();
    }

    @Test
    void aRejectionLoadedWithoutALogCarriesTheLogOfARetry() {
        VerifierException e = assertThrows(VerifierException.class, () -> Bpf.progLoad(
                ProgLoadAttr.of(ProgType.SOCKET_FILTER, loopThenUninitializedRead(3)).name("no_log")));
        assertTrue(e.log().contains("R2 !read_ok"), e.log());
    }

    @Test
    void aLogLargerThanTheSizeAskedForComesBackWholeFromItsFirstInstructionToTheRejection() {
        // at level 2 the verifier logs every instruction of every iteration: far more than the 64 KiB first tried
        VerifierException e = assertThrows(VerifierException.class, () -> Bpf.progLoad(
                ProgLoadAttr.of(ProgType.SOCKET_FILTER, loopThenUninitializedRead(2_000)).name("long_log").log(2, 0)));
        assertTrue(e.log().length() > 64 * 1024, "a log of " + e.log().length() + " bytes");
        assertTrue(e.log().startsWith("func#0 @0\n") || e.log().startsWith("0: "), e.log().substring(0, 200));
        assertTrue(e.log().contains("R2 !read_ok"), e.log().substring(e.log().length() - 200));
    }
}
