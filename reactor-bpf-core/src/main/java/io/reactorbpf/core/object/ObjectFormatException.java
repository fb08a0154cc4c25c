package io.reactorbpf.core.object;

import io.reactorbpf.core.BpfException;

/**
 * A BPF object's contents make no sense to the loader: a map definition it cannot read, a relocation to a symbol
 * that does not exist, a section it does not know. The message names the section, program, instruction or
 * symbol concerned.
 *
 * @since 0.1
 */
public class ObjectFormatException extends BpfException {

    /**
     * An object the loader cannot read.
     *
     * @param message the section, program, instruction or symbol concerned and what is wrong
     */
    public ObjectFormatException(String message) {
        super(message);
    }
}
