package io.reactorbpf.core.btf.value;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.nio.ByteBuffer;

/**
 * A scalar with no JSON number form (a 2, 12 or 16-byte float, an integer of an unusual size): written as the
 * hex digits of its bytes in memory order, so nothing is lost.
 */
final class OpaqueLayout extends Layout {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    OpaqueLayout(int size, String cType) {
        super(size, cType, true);
    }

    String hex(ByteBuffer buffer, int position) {
        char[] digits = new char[size * 2];
        for (int i = 0; i < size; i++) {
            int b = buffer.get(position + i) & 0xff;
            digits[2 * i] = HEX[b >>> 4];
            digits[2 * i + 1] = HEX[b & 0xf];
        }
        return new String(digits);
    }

    @Override
    void write(JsonGenerator generator, ByteBuffer buffer, int position, int end) {
        generator.writeString(hex(buffer, position));
    }

    @Override
    JsonNode tree(ByteBuffer buffer, int position, int end) {
        return JsonNodeFactory.instance.stringNode(hex(buffer, position));
    }
}
