package io.reactorbpf.core;

/**
 * Root of every error reactor-bpf raises. Subclasses say which layer failed (a syscall, an ELF or BTF
 * parse, a missing privilege) and carry what a person needs to fix it.
 */
public class BpfException extends RuntimeException {

    public BpfException(String message) {
        super(message);
    }

    public BpfException(String message, Throwable cause) {
        super(message, cause);
    }
}
