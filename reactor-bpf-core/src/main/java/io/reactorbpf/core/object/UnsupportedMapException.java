package io.reactorbpf.core.object;

import io.reactorbpf.core.BpfException;

/**
 * The running kernel cannot create a map the object defines: it lacks the map type or a flag the definition
 * asks for. The message names the map, what it asks for, and what to do instead.
 *
 * @since 0.1
 */
public final class UnsupportedMapException extends BpfException {

    /**
     * A map this kernel cannot create.
     *
     * @param message the map, what it asks for and what to do instead
     * @param cause the refusing BPF_MAP_CREATE's error
     */
    public UnsupportedMapException(String message, Throwable cause) {
        super(message, cause);
    }
}
