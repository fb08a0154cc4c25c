package io.reactorbpf.core.btf.value;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.math.BigInteger;
import java.nio.ByteBuffer;

/** A 128-bit integer ({@code __int128}), written as an exact JSON number. */
final class WideIntegerLayout extends Layout {

    private final boolean signed;

    WideIntegerLayout(int size, boolean signed, String cType) {
        super(size, cType, true);
        this.signed = signed;
    }

    BigInteger read(ByteBuffer buffer, int position) {
        byte[] bigEndian = new byte[size];
        for (int i = 0; i < size; i++) {
            bigEndian[size - 1 - i] = buffer.get(position + i);
        }
        return signed ? new BigInteger(bigEndian) : new BigInteger(1, bigEndian);
    }

    @Override
    void write(JsonGenerator generator, ByteBuffer buffer, int position, int end) {
        generator.writeNumber(read(buffer, position));
    }

    @Override
    JsonNode tree(ByteBuffer buffer, int position, int end) {
        return JsonNodeFactory.instance.numberNode(read(buffer, position));
    }
}
