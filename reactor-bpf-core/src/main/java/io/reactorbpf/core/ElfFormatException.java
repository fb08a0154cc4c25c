package io.reactorbpf.core;

/**
 * An ELF file that is not a well-formed 64-bit little-endian BPF object. The message names the part
 * (header, section, symbol, relocation) and the byte offset where reading failed.
 *
 * @since 0.1
 */
public final class ElfFormatException extends BpfException {

    /**
     * The error for a malformed ELF file.
     *
     * @param message the part and byte offset where reading failed
     */
    public ElfFormatException(String message) {
        super(message);
    }

    /**
     * @param message what is malformed and where
     * @param cause   the reader's own report, when this one adds what was being read
     */
    public ElfFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
