package io.reactorbpf.core.symbol;

import com.kenai.jffi.Library;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessSymbolsTest {

    @Test
    void anAddressInLibcResolvesToItsFunctionAndOffsetThroughThisProcesssMappings() {
        long getpid = Library.getCachedInstance("libc.so.6", Library.LAZY).getSymbolAddress("getpid");
        ProcessSymbols symbols = ProcessSymbols.of(ProcessHandle.current().pid());

        StackFrame frame = symbols.resolve(getpid + 3);

        assertTrue(Set.of("getpid", "__getpid").contains(frame.function()), frame.toString());
        assertEquals(3, frame.offset());
        assertTrue(frame.object().endsWith("/libc.so.6"), frame.object());
    }

    @Test
    void anAddressInNoExecutableMappingIsUnknown() {
        StackFrame frame = ProcessSymbols.of(ProcessHandle.current().pid()).resolve(8);
        assertEquals("[unknown]", frame.name());
    }

    @Test
    void aProcessThatIsGoneIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProcessSymbols.of(Integer.MAX_VALUE));
        assertTrue(e.getMessage().startsWith("no process 2147483647 "), e.getMessage());
    }
}
