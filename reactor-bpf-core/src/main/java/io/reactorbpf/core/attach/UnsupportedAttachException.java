package io.reactorbpf.core.attach;

/**
 * The running kernel cannot attach programs this way at all, e.g. kprobes on a kernel built without them.
 *
 * @since 0.1
 */
public final class UnsupportedAttachException extends AttachException {

    /**
     * An attach way this kernel lacks.
     *
     * @param message what the kernel lacks (a PMU, a kernel option) and what to use instead
     */
    public UnsupportedAttachException(String message) {
        super(message);
    }

    /**
     * An attach way this kernel lacks, found through another failure.
     *
     * @param message what the kernel lacks and what to use instead
     * @param cause the underlying failure
     */
    public UnsupportedAttachException(String message, Throwable cause) {
        super(message, cause);
    }
}
