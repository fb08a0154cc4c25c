package io.reactorbpf.core.sys;

import io.reactorbpf.core.BpfException;

/**
 * A pseudo-filesystem reactor-bpf needs (tracefs, bpffs) is mounted, but this process may not look inside it: its
 * mode keeps others out and the process lacks the capability that passes that check. The message names the mount
 * point, its mode and owner, and the ways in.
 *
 * @since 0.1
 */
public final class FilesystemAccessException extends BpfException {

    /**
     * The error for a mount this process may not enter.
     *
     * @param message the mount point, its mode and owner, and the ways in
     */
    public FilesystemAccessException(String message) {
        super(message);
    }
}
