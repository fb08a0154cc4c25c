package io.reactorbpf.core.attach;

import io.reactorbpf.core.BpfException;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.SyscallException;

/**
 * A program could not be attached. The message names the program and the target (e.g. "tracepoint
 * syscalls:sys_enter_execve"); when a syscall refused, it is the cause and its errno is in the message.
 *
 * @since 0.1
 */
public class AttachException extends BpfException {

    /**
     * An attach failure without an underlying error.
     *
     * @param message the program, the target and what is wrong
     */
    public AttachException(String message) {
        super(message);
    }

    /**
     * An attach failure caused by another, usually the {@link io.reactorbpf.core.sys.SyscallException} of the
     * refusing syscall.
     *
     * @param message the program, the target and what is wrong
     * @param cause the underlying failure
     */
    public AttachException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Attaching {@code prog} to {@code target} failed because {@code cause} did. */
    static AttachException failed(FileDescriptor prog, String target, SyscallException cause) {
        return new AttachException("cannot attach " + prog.what() + " to " + target + ": " + cause.getMessage(), cause);
    }
}
