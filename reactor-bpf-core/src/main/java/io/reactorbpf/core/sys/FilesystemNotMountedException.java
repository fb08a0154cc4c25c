package io.reactorbpf.core.sys;

import io.reactorbpf.core.BpfException;

/** A pseudo-filesystem reactor-bpf needs (tracefs, bpffs) is not mounted and could not be mounted. */
public final class FilesystemNotMountedException extends BpfException {

    public FilesystemNotMountedException(String message) {
        super(message);
    }
}
