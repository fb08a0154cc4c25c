package io.reactorbpf.core.btf.value;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A char array written as a string: its bytes up to the first NUL, or up to its end or the sample's end when
 * there is none, decoded as UTF-8 with malformed bytes replaced by U+FFFD. A flexible array ({@code length} 0 as
 * the last member) takes every byte up to the sample's end. ASCII text is copied through a per-thread scratch
 * buffer, so writing it allocates nothing.
 */
final class StringLayout extends Layout {

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final boolean flexible;

    StringLayout(int length, boolean flexible, String cType) {
        super(length, cType, false);
        this.flexible = flexible;
    }

    /** The number of bytes before the first NUL within the present part of the array. */
    int textLength(ByteBuffer buffer, int position, int end) {
        int limit = flexible ? end - position : Math.min(size, end - position);
        for (int i = 0; i < limit; i++) {
            if (buffer.get(position + i) == 0) {
                return i;
            }
        }
        return Math.max(limit, 0);
    }

    String decode(ByteBuffer buffer, int position, int end) {
        int length = textLength(buffer, position, end);
        byte[] bytes = new byte[length];
        buffer.get(position, bytes, 0, length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    int presentBytes(int position, int end) {
        return flexible ? Math.max(0, end - position) : super.presentBytes(position, end);
    }

    @Override
    void write(JsonGenerator generator, ByteBuffer buffer, int position, int end) {
        int length = textLength(buffer, position, end);
        Scratch scratch = SCRATCH.get();
        char[] chars = scratch.chars(length);
        for (int i = 0; i < length; i++) {
            byte b = buffer.get(position + i);
            if (b < 0) {
                byte[] bytes = scratch.bytes(length);
                buffer.get(position, bytes, 0, length);
                generator.writeString(new String(bytes, 0, length, StandardCharsets.UTF_8));
                return;
            }
            chars[i] = (char) b;
        }
        generator.writeString(chars, 0, length);
    }

    @Override
    JsonNode tree(ByteBuffer buffer, int position, int end) {
        return JsonNodeFactory.instance.stringNode(decode(buffer, position, end));
    }

    /** Per-thread buffers that grow to the longest string seen. */
    private static final class Scratch {
        private char[] chars = new char[64];
        private byte[] bytes = new byte[64];

        char[] chars(int length) {
            if (chars.length < length) {
                chars = new char[length];
            }
            return chars;
        }

        byte[] bytes(int length) {
            if (bytes.length < length) {
                bytes = new byte[length];
            }
            return bytes;
        }
    }
}
