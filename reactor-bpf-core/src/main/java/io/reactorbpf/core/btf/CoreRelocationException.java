package io.reactorbpf.core.btf;

import io.reactorbpf.core.BpfException;

/**
 * A CO-RE relocation that is malformed rather than merely unresolvable: a bad access string, an instruction
 * offset outside its section, an instruction the relocation cannot patch or that does not hold the value the
 * compiler recorded, or several target candidates that disagree. The message names the section, the
 * instruction index, the relocation kind, the local type and the access path.
 *
 * @since 0.1
 */
public final class CoreRelocationException extends BpfException {

    /**
     * A malformed CO-RE relocation.
     *
     * @param message the section, instruction, relocation kind, local type and access path
     */
    public CoreRelocationException(String message) {
        super(message);
    }

    /**
     * A malformed CO-RE relocation, found through another failure.
     *
     * @param message the section, instruction, relocation kind, local type and access path
     * @param cause the underlying failure, such as a malformed type
     */
    public CoreRelocationException(String message, Throwable cause) {
        super(message, cause);
    }
}
