package io.reactorbpf.core.asm;

import io.reactorbpf.core.BpfException;

/**
 * An instruction or program cannot be built or decoded: an unknown or duplicate label, a jump too far for its
 * 16-bit offset, a value that does not fit its field, truncated instruction bytes. The message names the
 * instruction and what to change.
 */
public final class AssemblyException extends BpfException {

    public AssemblyException(String message) {
        super(message);
    }
}
