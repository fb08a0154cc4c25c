package io.reactorbpf.core.internal.elf;

import io.reactorbpf.core.ElfFormatException;

/**
 * Little-endian reads from the whole file image, each checked against the image's length so that a
 * malformed file raises {@link ElfFormatException} naming {@code where} and the offset.
 */
final class ElfBytes {

    private final byte[] image;

    ElfBytes(byte[] image) {
        this.image = image;
    }

    int length() {
        return image.length;
    }

    byte[] image() {
        return image;
    }

    /** Checks that {@code [offset, offset + size)} lies inside the file and returns offset as an int. */
    int range(long offset, long size, String where) {
        if (offset < 0 || size < 0 || offset > image.length || size > image.length - offset) {
            throw new ElfFormatException(where + ": bytes [" + Long.toUnsignedString(offset) + ", +"
                    + Long.toUnsignedString(size) + ") lie outside the " + image.length + "-byte file");
        }
        return (int) offset;
    }

    int u8(long offset, String where) {
        return image[range(offset, 1, where)] & 0xff;
    }

    int u16(long offset, String where) {
        int o = range(offset, 2, where);
        return (image[o] & 0xff) | (image[o + 1] & 0xff) << 8;
    }

    int s32(long offset, String where) {
        int o = range(offset, 4, where);
        return (image[o] & 0xff) | (image[o + 1] & 0xff) << 8 | (image[o + 2] & 0xff) << 16
                | (image[o + 3] & 0xff) << 24;
    }

    long u32(long offset, String where) {
        return s32(offset, where) & 0xffffffffL;
    }

    long s64(long offset, String where) {
        range(offset, 8, where);
        return (u32(offset, where)) | (u32(offset + 4, where) << 32);
    }

    /** The NUL-terminated string at {@code index} of the string table occupying {@code [tableOffset, +tableSize)}. */
    String string(int tableOffset, int tableSize, long index, String where) {
        if (index < 0 || index >= tableSize) {
            throw new ElfFormatException(where + ": string index " + index + " is outside its "
                    + tableSize + "-byte string table at file offset " + tableOffset);
        }
        int start = tableOffset + (int) index;
        int end = tableOffset + tableSize;
        for (int i = start; i < end; i++) {
            if (image[i] == 0) {
                return new String(image, start, i - start, java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        throw new ElfFormatException(where + ": string at index " + index
                + " runs off the end of its string table at file offset " + tableOffset);
    }
}
