package io.reactorbpf.core.asm;

import io.reactorbpf.core.BpfException;

/**
 * An instruction or program cannot be built or decoded: an unknown or duplicate label, a jump too far for its
 * 16-bit offset, a value that does not fit its field, truncated instruction bytes. The message names the
 * instruction and what to change.
 *
 * @since 0.1
 */
public final class AssemblyException extends BpfException {

    /**
     * An assembly error.
     *
     * @param message what cannot be built or decoded, naming the instruction or label and what to change
     */
    public AssemblyException(String message) {
        super(message);
    }
}
