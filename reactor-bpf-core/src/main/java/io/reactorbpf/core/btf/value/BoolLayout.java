package io.reactorbpf.core.btf.value;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.nio.ByteBuffer;

/** A BTF bool: true when any of its bits is set. */
final class BoolLayout extends IntegerLayout {

    BoolLayout(IntegerBits bits, String cType) {
        super(bits, cType);
    }

    @Override
    void write(JsonGenerator generator, ByteBuffer buffer, int position, int end) {
        generator.writeBoolean(read(buffer, position) != 0);
    }

    @Override
    JsonNode tree(ByteBuffer buffer, int position, int end) {
        return JsonNodeFactory.instance.booleanNode(read(buffer, position) != 0);
    }
}
