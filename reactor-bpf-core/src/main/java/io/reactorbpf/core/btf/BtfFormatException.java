package io.reactorbpf.core.btf;

import io.reactorbpf.core.BpfException;

/**
 * BTF or .BTF.ext data that cannot be read, or a type question it cannot answer (the size of a function,
 * a reference loop). The message names the type id, the byte offset or the section concerned.
 *
 * @since 0.1
 */
public final class BtfFormatException extends BpfException {

    /**
     * Unreadable BTF, or an unanswerable type question.
     *
     * @param message the type id, byte offset or section concerned and what is wrong
     */
    public BtfFormatException(String message) {
        super(message);
    }

    /**
     * @param message what is malformed and where
     * @param cause   the reader's own report, when this one adds what was being read
     */
    public BtfFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
