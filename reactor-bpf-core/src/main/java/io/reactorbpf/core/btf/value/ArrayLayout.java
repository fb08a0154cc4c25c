package io.reactorbpf.core.btf.value;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.nio.ByteBuffer;

/**
 * An array other than a string, written as a JSON array of the elements present: scalar elements whose bytes
 * are all there, then an aggregate element cut short if the sample ends inside it. A flexible array (length 0
 * as the last member) holds as many elements as the sample's bytes reach. An array whose elements occupy no bytes
 * (of an empty struct, say) holds no data and is written empty, however long BTF says it is.
 */
final class ArrayLayout extends Layout {

    final Layout element;
    final int length;
    final boolean flexible;

    ArrayLayout(Layout element, int length, boolean flexible, String cType) {
        super(flexible ? 0 : Math.multiplyExact(element.size, length), cType, false);
        this.element = element;
        this.length = length;
        this.flexible = flexible;
    }

    /** The number of elements present from {@code position}. */
    int count(int position, int end) {
        int available = end - position;
        int stride = element.size;
        if (stride == 0) {
            return 0;
        }
        if (available <= 0) {
            return flexible || available < 0 ? 0 : length;
        }
        int reached = element.isScalar() ? available / stride : (available + stride - 1) / stride;
        return flexible ? reached : Math.min(length, reached);
    }

    @Override
    int presentBytes(int position, int end) {
        return flexible ? Math.max(0, end - position) : super.presentBytes(position, end);
    }

    @Override
    void write(JsonGenerator generator, ByteBuffer buffer, int position, int end) {
        int count = count(position, end);
        generator.writeStartArray(null, count);
        for (int i = 0; i < count; i++) {
            element.write(generator, buffer, position + i * element.size, end);
        }
        generator.writeEndArray();
    }

    @Override
    JsonNode tree(ByteBuffer buffer, int position, int end) {
        int count = count(position, end);
        ArrayNode array = JsonNodeFactory.instance.arrayNode(count);
        for (int i = 0; i < count; i++) {
            array.add(element.tree(buffer, position + i * element.size, end));
        }
        return array;
    }
}
