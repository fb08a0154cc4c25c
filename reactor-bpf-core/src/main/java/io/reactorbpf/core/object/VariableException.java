package io.reactorbpf.core.object;

import io.reactorbpf.core.BpfException;

/**
 * A global variable was asked for by a name the object does not have, or given a value that does not fit it.
 *
 * @since 0.1
 */
public final class VariableException extends BpfException {

    /**
     * A variable that is missing or cannot take a value.
     *
     * @param message the object and variable, its type and size, and what was given
     */
    public VariableException(String message) {
        super(message);
    }
}
