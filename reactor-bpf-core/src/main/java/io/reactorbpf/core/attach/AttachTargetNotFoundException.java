package io.reactorbpf.core.attach;

/**
 * The attach target does not exist: a symbol missing from a binary, a kernel function or raw tracepoint
 * missing from the kernel's BTF. The message names the target and where it was looked for.
 *
 * @since 0.1
 */
public final class AttachTargetNotFoundException extends AttachException {

    /**
     * A missing target.
     *
     * @param message the target and where it was looked for
     */
    public AttachTargetNotFoundException(String message) {
        super(message);
    }

    /**
     * A missing target, found missing through another failure.
     *
     * @param message the target and where it was looked for
     * @param cause the underlying failure
     */
    public AttachTargetNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
