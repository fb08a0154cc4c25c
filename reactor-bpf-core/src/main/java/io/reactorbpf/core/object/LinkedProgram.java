package io.reactorbpf.core.object;

import java.util.List;

/**
 * A program ready for BPF_PROG_LOAD: its entry function followed by every subprogram it reaches, with calls,
 * map and global data references patched, and func_info / line_info records indexed by final instruction.
 *
 * @param funcInfo   null when the object has no .BTF.ext
 * @param layout     the functions in the order they were laid out, with their first instruction index
 */
record LinkedProgram(byte[] insns, byte[] funcInfo, int funcInfoRecSize, byte[] lineInfo, int lineInfoRecSize,
                     List<Placed> layout) {

    /** A function and the index of its first instruction in the linked program. */
    record Placed(CodeFunction function, int start) {
    }
}
