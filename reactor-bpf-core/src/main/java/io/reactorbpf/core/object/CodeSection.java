package io.reactorbpf.core.object;

import java.util.List;

/**
 * An executable ELF section: its instructions as compiled, its functions and the instructions the loader patches.
 * Immutable; the loader patches a copy of {@link #insns()}.
 */
record CodeSection(int index, String name, byte[] insns, List<CodeFunction> functions, List<CodeReference> references) {

    /** The function that starts at instruction {@code insn}, or null. */
    CodeFunction functionAt(int insn) {
        for (CodeFunction f : functions) {
            if (f.offset() == insn * 8) {
                return f;
            }
        }
        return null;
    }

    /** The function containing byte offset {@code offset}, or null. */
    CodeFunction functionContaining(int offset) {
        for (CodeFunction f : functions) {
            if (f.contains(offset)) {
                return f;
            }
        }
        return null;
    }
}
