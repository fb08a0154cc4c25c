package io.reactorbpf.core.btf.value;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.nio.ByteBuffer;

/** An integer, character, pointer or bitfield written as a JSON number; unsigned 64-bit values stay unsigned. */
final class NumberLayout extends IntegerLayout {

    NumberLayout(IntegerBits bits, String cType) {
        super(bits, cType);
    }

    @Override
    void write(JsonGenerator generator, ByteBuffer buffer, int position, int end) {
        write(generator, bits, read(buffer, position));
    }

    static void write(JsonGenerator generator, IntegerBits bits, long value) {
        if (bits.exceedsLong(value)) {
            generator.writeNumber(Long.toUnsignedString(value));
        } else {
            generator.writeNumber(value);
        }
    }

    @Override
    JsonNode tree(ByteBuffer buffer, int position, int end) {
        long value = read(buffer, position);
        return number(bits, value);
    }

    static JsonNode number(IntegerBits bits, long value) {
        if (bits.exceedsLong(value)) {
            return JsonNodeFactory.instance.numberNode(IntegerBits.unsigned(value));
        }
        return JsonNodeFactory.instance.numberNode(value);
    }
}
