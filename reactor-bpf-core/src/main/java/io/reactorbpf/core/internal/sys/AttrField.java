package io.reactorbpf.core.internal.sys;

import java.nio.ByteBuffer;

/**
 * One member of a kernel ABI struct: its C name (as a member designator of the struct, e.g.
 * {@code link_create.target_btf_id}), byte offset and size. Layout tests compare these against the
 * kernel's uapi headers.
 */
public record AttrField(String name, int offset, int size) {

    static AttrField u32(String name, int offset) {
        return new AttrField(name, offset, 4);
    }

    static AttrField u64(String name, int offset) {
        return new AttrField(name, offset, 8);
    }

    static AttrField bytes(String name, int offset, int size) {
        return new AttrField(name, offset, size);
    }

    /** The offset just past this member. */
    public int end() {
        return offset + size;
    }

    /** Writes {@code value} into the member (4 or 8 bytes, native order). */
    public void put(ByteBuffer b, long value) {
        switch (size) {
            case 4:
                b.putInt(offset, (int) value);
                break;
            case 8:
                b.putLong(offset, value);
                break;
            default:
                throw new IllegalStateException(name + " is not an integer member");
        }
    }

    /** Reads the member (4 bytes as unsigned, or 8 bytes). */
    public long get(ByteBuffer b) {
        switch (size) {
            case 4:
                return Integer.toUnsignedLong(b.getInt(offset));
            case 8:
                return b.getLong(offset);
            default:
                throw new IllegalStateException(name + " is not an integer member");
        }
    }

    /** Writes a NUL-padded name of at most size-1 bytes, cutting longer names. */
    public void putName(ByteBuffer b, String value) {
        byte[] s = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int n = Math.min(s.length, size - 1);
        for (int i = 0; i < size; i++) {
            b.put(offset + i, i < n ? s[i] : 0);
        }
    }
}
