package io.reactorbpf.core.attach;

/**
 * The attach target does not exist: a symbol missing from a binary, a kernel function or raw tracepoint
 * missing from the kernel's BTF. The message names the target and where it was looked for.
 */
public final class AttachTargetNotFoundException extends AttachException {

    public AttachTargetNotFoundException(String message) {
        super(message);
    }

    public AttachTargetNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
