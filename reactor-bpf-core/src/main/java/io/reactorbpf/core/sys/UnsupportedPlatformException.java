package io.reactorbpf.core.sys;

import io.reactorbpf.core.BpfException;

/**
 * This JVM runs on an operating system or CPU architecture reactor-bpf has no syscall table for.
 *
 * @since 0.1
 */
public final class UnsupportedPlatformException extends BpfException {

    /**
     * The error for an unsupported platform.
     *
     * @param message the operating system or architecture found, and those supported
     */
    public UnsupportedPlatformException(String message) {
        super(message);
    }
}
