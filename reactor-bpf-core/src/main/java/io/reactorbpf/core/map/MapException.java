package io.reactorbpf.core.map;

import io.reactorbpf.core.BpfException;

/**
 * A map operation got arguments that do not fit the map: a key or value of the wrong size, a bad index.
 *
 * @since 0.1
 */
public final class MapException extends BpfException {

    /**
     * The error for arguments that do not fit a map.
     *
     * @param message the map, what was expected and what was given
     */
    public MapException(String message) {
        super(message);
    }
}
