package io.reactorbpf.core.btf.value;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.io.SerializedString;
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

    // stateless sinks kept in constants, so decoding a sample allocates no lambda
    private static final FieldSink<JsonGenerator> WRITE = (generator, name, layout, buffer, at, end) -> {
        generator.writeName(name);
        layout.write(generator, buffer, at, end);
    };

    private static final FieldSink<ObjectNode> ADD = (object, name, layout, buffer, at, end) ->
            object.set(name.getValue(), layout.tree(buffer, at, end));

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

    /** Whether a member named {@code name} is written, directly or from an anonymous composite inlined here. */
    boolean hasField(String name) {
        for (Field f : fields) {
            if (name.equals(f.name()) || f.name() == null && f.layout() instanceof CompositeLayout c && c.hasField(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    void write(JsonGenerator generator, ByteBuffer buffer, int position, int end) {
        generator.writeStartObject();
        writeFields(generator, buffer, position, end);
        generator.writeEndObject();
    }

    void writeFields(JsonGenerator generator, ByteBuffer buffer, int position, int end) {
        forEachPresent(generator, WRITE, buffer, position, end);
    }

    @Override
    ObjectNode tree(ByteBuffer buffer, int position, int end) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        forEachPresent(object, ADD, buffer, position, end);
        return object;
    }

    /** Hands each present named member to {@code sink}, the members of anonymous composites in its place. */
    private <T> void forEachPresent(T target, FieldSink<T> sink, ByteBuffer buffer, int position, int end) {
        for (int i = 0; i < layouts.length; i++) {
            int at = position + offsets[i];
            Layout layout = layouts[i];
            if (!layout.presentAt(at, end)) {
                continue;
            }
            if (names[i] == null) {
                ((CompositeLayout) layout).forEachPresent(target, sink, buffer, at, end);
            } else {
                sink.accept(target, names[i], layout, buffer, at, end);
            }
        }
    }

    /** Where one present member goes: a streamed JSON object or a tree node. */
    @FunctionalInterface
    private interface FieldSink<T> {
        void accept(T target, SerializedString name, Layout layout, ByteBuffer buffer, int position, int end);
    }
}
