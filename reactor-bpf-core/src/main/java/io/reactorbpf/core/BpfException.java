package io.reactorbpf.core;

/**
 * Root of every error reactor-bpf raises. Subclasses say which layer failed (a syscall, an ELF or BTF
 * parse, a missing privilege) and carry what a person needs to fix it.
 *
 * @since 0.1
 */
public class BpfException extends RuntimeException {

    /**
     * An error with a message and no cause.
     *
     * @param message what failed, naming the object concerned and how to fix it
     */
    public BpfException(String message) {
        super(message);
    }

    /**
     * An error caused by another, such as an I/O failure while reading an object file.
     *
     * @param message what failed, naming the object concerned and how to fix it
     * @param cause the underlying failure
     */
    public BpfException(String message, Throwable cause) {
        super(message, cause);
    }
}
