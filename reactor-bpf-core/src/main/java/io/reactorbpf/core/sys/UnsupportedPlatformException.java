package io.reactorbpf.core.sys;

import io.reactorbpf.core.BpfException;

/** This JVM runs on an operating system or CPU architecture reactor-bpf has no syscall table for. */
public final class UnsupportedPlatformException extends BpfException {

    public UnsupportedPlatformException(String message) {
        super(message);
    }
}
