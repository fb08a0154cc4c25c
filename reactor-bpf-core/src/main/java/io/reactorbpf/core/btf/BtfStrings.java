package io.reactorbpf.core.btf;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A BTF string section: NUL-terminated names addressed by byte offset, continuing the base's offsets for
 * split BTF. Strings are decoded when asked for, so parsing a large BTF does not decode names nobody reads.
 */
final class BtfStrings {

    static final BtfStrings EMPTY = new BtfStrings(null, new byte[] {0});

    private final BtfStrings base;
    private final byte[] bytes;
    private final int start;

    /** {@code bytes} must end with NUL (checked by the reader). */
    BtfStrings(BtfStrings base, byte[] bytes) {
        this.base = base;
        this.bytes = bytes;
        this.start = base == null ? 0 : base.end();
    }

    /** One past the last offset of this table, in the combined offset space. */
    int end() {
        return start + bytes.length;
    }

    int start() {
        return start;
    }

    /** This table's own bytes (not the base's); callers must not modify them. */
    byte[] bytes() {
        return bytes;
    }

    BtfStrings base() {
        return base;
    }

    boolean contains(long offset) {
        return offset >= 0 && offset < end();
    }

    /** The string at {@code offset}; {@code where} names the referrer for the error message. */
    String at(long offset, String where) {
        if (offset < start) {
            if (base == null) {
                throw new BtfFormatException(where + ": string offset " + offset + " is negative");
            }
            return base.at(offset, where);
        }
        if (offset >= end()) {
            throw new BtfFormatException(where + ": string offset " + offset + " is outside the "
                    + end() + "-byte string section");
        }
        int from = (int) (offset - start);
        int to = from;
        boolean ascii = true;
        while (bytes[to] != 0) {
            ascii &= bytes[to] > 0;
            to++;
        }
        if (ascii) {
            return from == to ? "" : new String(bytes, from, to - from, StandardCharsets.US_ASCII);
        }
        try {
            // strict: a name replaced by U+FFFD would differ from the kernel's (a pin path, a map name)
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw new BtfFormatException(where + ": the string at offset " + offset + " is not valid UTF-8 (bytes "
                    + HexFormat.of().formatHex(bytes, from, to) + ")");
        }
    }
}
