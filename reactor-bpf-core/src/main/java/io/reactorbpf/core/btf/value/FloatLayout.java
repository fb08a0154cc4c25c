package io.reactorbpf.core.btf.value;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.nio.ByteBuffer;

/** A 4-byte float or 8-byte double. */
final class FloatLayout extends Layout {

    FloatLayout(int size, String cType) {
        super(size, cType, true);
    }

    double read(ByteBuffer buffer, int position) {
        return size == 4 ? readFloat(buffer, position) : Double.longBitsToDouble(SampleBytes.getLong(buffer, position));
    }

    float readFloat(ByteBuffer buffer, int position) {
        return Float.intBitsToFloat(SampleBytes.getInt(buffer, position));
    }

    @Override
    void write(JsonGenerator generator, ByteBuffer buffer, int position, int end) {
        if (size == 4) {
            generator.writeNumber(readFloat(buffer, position));
        } else {
            generator.writeNumber(read(buffer, position));
        }
    }

    @Override
    JsonNode tree(ByteBuffer buffer, int position, int end) {
        return size == 4 ? JsonNodeFactory.instance.numberNode(readFloat(buffer, position))
                : JsonNodeFactory.instance.numberNode(read(buffer, position));
    }
}
