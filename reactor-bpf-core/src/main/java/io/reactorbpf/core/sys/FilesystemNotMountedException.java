package io.reactorbpf.core.sys;

import io.reactorbpf.core.BpfException;

/**
 * A pseudo-filesystem reactor-bpf needs (tracefs, bpffs) is not mounted and could not be mounted.
 *
 * @since 0.1
 */
public final class FilesystemNotMountedException extends BpfException {

    /**
     * The error for a missing mount.
     *
     * @param message which filesystem, where it was looked for, why mounting it failed and how to mount it
     */
    public FilesystemNotMountedException(String message) {
        super(message);
    }
}
