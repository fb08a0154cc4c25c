package io.reactorbpf.core.asm;

import io.reactorbpf.core.sys.UapiProbe;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The constants of this package have the values linux/bpf.h gives them, as gcc sees the installed header. */
class UapiConstantsTest {

    /** For each C name, the value the header gives it. */
    private static Map<String, Long> header(Map<String, Long> ours) {
        StringBuilder c = new StringBuilder("#include <stdio.h>\n#include <linux/bpf.h>\nint main(void) {\n");
        ours.keySet().forEach(name -> c.append("    printf(\"%s %lld\\n\", \"").append(name)
                .append("\", (long long) (").append(name).append("));\n"));
        c.append("    return 0;\n}\n");
        Map<String, Long> values = new HashMap<>();
        for (String line : UapiProbe.run(c.toString()).split("\n")) {
            int space = line.lastIndexOf(' ');
            values.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
        }
        return values;
    }

    private static void assertMatchesHeader(Map<String, Long> ours) {
        Map<String, Long> header = header(ours);
        List<String> wrong = new ArrayList<>();
        ours.forEach((name, value) -> {
            if (!value.equals(header.get(name))) {
                wrong.add(name + ": ours " + value + ", header " + header.get(name));
            }
        });
        assertEquals(List.of(), wrong);
    }

    private static Map<String, Long> intConstants(Class<?> type, String prefix) throws IllegalAccessException {
        Map<String, Long> out = new HashMap<>();
        for (Field f : type.getFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) {
                out.put(prefix + f.getName(), (long) f.getInt(null));
            }
        }
        return out;
    }

    @Test
    void opcodeConstantsMatchTheHeader() throws IllegalAccessException {
        Map<String, Long> ours = intConstants(Opcode.class, "BPF_");
        ours.remove("BPF_LD_IMM64");
        ours.put("BPF_LD | BPF_IMM | BPF_DW", (long) Opcode.LD_IMM64);
        assertMatchesHeader(ours);
    }

    @Test
    void pseudoConstantsMatchTheHeader() throws IllegalAccessException {
        assertMatchesHeader(intConstants(Pseudo.class, "BPF_PSEUDO_"));
    }

    @Test
    void helperIdsMatchTheHeader() {
        Map<String, Long> ours = new HashMap<>();
        for (BpfFunc f : BpfFunc.values()) {
            ours.put("BPF_FUNC_" + f.kernelName(), (long) f.id());
        }
        assertMatchesHeader(ours);
    }

    @Test
    void enumCodesMatchTheHeader() {
        Map<String, Long> ours = new HashMap<>();
        for (AluOp op : AluOp.values()) {
            ours.put("BPF_" + op.name(), (long) op.code());
        }
        for (JumpOp op : JumpOp.values()) {
            ours.put("BPF_" + op.name(), (long) op.code());
        }
        for (Size s : Size.values()) {
            ours.put("BPF_" + s.name(), (long) s.code());
        }
        assertMatchesHeader(ours);
    }

    @Test
    void theFramePointerIsRegisterTen() {
        assertEquals(10, Register.FP.number());
        assertEquals(11, Register.values().length);
    }
}
