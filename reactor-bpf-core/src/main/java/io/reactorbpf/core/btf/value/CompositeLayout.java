package io.reactorbpf.core.btf.value;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A struct or union written as a JSON object of its members that are present, in declaration order; union
 * members are all decoded over the same bytes. The members of an anonymous struct or union member are written
 * into this object, as C lets them be named through it.
 */
final class CompositeLayout extends Layout {

    /**
     * One member: its name (null for an anonymous composite whose members are inlined) and byte offset.
     */
    record Field(String name, int offset, Layout layout) {
    }

    final List<Field> fields;
    private final SerializedString[] names;
    private final int[] offsets;
    private final Layout[] layouts;

    CompositeLayout(int size, List<Field> fields, String cType) {
        super(size, cType, false);
        this.fields = List.copyOf(fields);
        int n = fields.size();
        names = new SerializedString[n];
        offsets = new int[n];
        layouts = new Layout[n];
        for (int i = 0; i < n; i++) {
            Field f = fields.get(i);
            names[i] = f.name() == null ? null : new SerializedString(f.name());
            offsets[i] = f.offset();
            layouts[i] = f.layout();
        }
    }

    @Override
    void write(JsonGenerator generator, ByteBuffer buffer, int position, int end) {
        generator.writeStartObject();
        writeFields(generator, buffer, position, end);
        generator.writeEndObject();
    }

    void writeFields(JsonGenerator generator, ByteBuffer buffer, int position, int end) {
        for (int i = 0; i < layouts.length; i++) {
            int at = position + offsets[i];
            Layout layout = layouts[i];
            if (!layout.presentAt(at, end)) {
                continue;
            }
            if (names[i] == null) {
                ((CompositeLayout) layout).writeFields(generator, buffer, at, end);
            } else {
                generator.writeName(names[i]);
                layout.write(generator, buffer, at, end);
            }
        }
    }

    @Override
    ObjectNode tree(ByteBuffer buffer, int position, int end) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        addFields(object, buffer, position, end);
        return object;
    }

    private void addFields(ObjectNode object, ByteBuffer buffer, int position, int end) {
        for (int i = 0; i < layouts.length; i++) {
            int at = position + offsets[i];
            Layout layout = layouts[i];
            if (!layout.presentAt(at, end)) {
                continue;
            }
            if (names[i] == null) {
                ((CompositeLayout) layout).addFields(object, buffer, at, end);
            } else {
                object.set(names[i].getValue(), layout.tree(buffer, at, end));
            }
        }
    }
}
