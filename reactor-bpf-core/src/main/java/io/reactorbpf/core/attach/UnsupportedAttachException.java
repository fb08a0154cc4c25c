package io.reactorbpf.core.attach;

/** The running kernel cannot attach programs this way at all, e.g. kprobes on a kernel built without them. */
public final class UnsupportedAttachException extends AttachException {

    public UnsupportedAttachException(String message) {
        super(message);
    }

    public UnsupportedAttachException(String message, Throwable cause) {
        super(message, cause);
    }
}
