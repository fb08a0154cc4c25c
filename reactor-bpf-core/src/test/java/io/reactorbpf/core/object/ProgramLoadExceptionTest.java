package io.reactorbpf.core.object;

import io.reactorbpf.core.sys.VerifierException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a verifier rejection says in one line: the log's last words before its statistics. */
class ProgramLoadExceptionTest {

    private static ProgramLoadException rejected(String log) {
        return new ProgramLoadException("on_exec", "tp/syscalls/sys_enter_execve", "",
                new VerifierException("BPF_PROG_LOAD", 13, "program 'on_exec'", log));
    }

    @Test
    void theRefusalIsTheLastLineBeforeTheStatistics() {
        assertEquals("R0 invalid mem access 'map_value_or_null'", rejected("""
                0: (85) call bpf_map_lookup_elem#1
                1: (61) r1 = *(u32 *)(r0 +0)
                R0 invalid mem access 'map_value_or_null'
                processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0
                stack depth 8
                verification time 30 usec
                """).refusal());
    }

    @Test
    void anEmptyLogHasNoRefusal() {
        assertEquals("", rejected("").refusal());
    }
}
