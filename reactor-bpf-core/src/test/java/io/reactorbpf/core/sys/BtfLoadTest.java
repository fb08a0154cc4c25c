package io.reactorbpf.core.sys;

import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BPF_BTF_LOAD's log: never asked for up front, a rejection still carries all of it. */
@KernelTest
class BtfLoadTest {

    /** {@code n} valid ints, then an int wider than the kernel allows: the checker logs every int, then refuses. */
    private static byte[] intsThenTooWideInt(int n) {
        List<BtfType> types = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            types.add(new BtfType.Int("int", 4, BtfType.Int.SIGNED, 0, 32));
        }
        types.add(new BtfType.Int("wide", 4, 0, 0, 200));
        return Btf.of(types).toBytes();
    }

    @Test
    void aRejectedBlobFailsWithTheErrnoOfTheRejection() {
        VerifierException e = assertThrows(VerifierException.class, () -> Bpf.btfLoad(intsThenTooWideInt(1)));
        assertEquals("BPF_BTF_LOAD", e.command());
        assertEquals(Errno.EINVAL, e.errno());
    }

    @Test
    void aRejectionCarriesTheLogOfARetryNamingTheRejectedType() {
        VerifierException e = assertThrows(VerifierException.class, () -> Bpf.btfLoad(intsThenTooWideInt(3)));
        assertTrue(e.log().contains("[4] INT wide size=4 bits_offset=0 nr_bits=200"), e.log());
        assertTrue(e.log().contains("nr_bits exceeds 128"), e.log());
        assertTrue(e.getMessage().endsWith("--- verifier log ---\n" + e.log()), e.getMessage());
    }

    @Test
    void aLogLargerThanTheFirstBufferComesBackWholeFromTheHeaderToTheRejection() {
        // one line per valid type: 3000 of them log far more than the 64 KiB first tried
        VerifierException e = assertThrows(VerifierException.class, () -> Bpf.btfLoad(intsThenTooWideInt(3_000)));
        assertTrue(e.log().length() > 64 * 1024, "a log of " + e.log().length() + " bytes");
        assertTrue(e.log().startsWith("magic: 0xeb9f\n"), e.log().substring(0, 200));
        assertTrue(e.log().contains("\n[1] INT int "), e.log().substring(0, 400));
        assertTrue(e.log().contains("\n[3001] INT wide ") && e.log().contains("nr_bits exceeds 128"),
                e.log().substring(e.log().length() - 200));
    }
}
