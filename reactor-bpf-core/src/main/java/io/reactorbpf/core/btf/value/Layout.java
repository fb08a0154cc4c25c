package io.reactorbpf.core.btf.value;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

import java.nio.ByteBuffer;

/**
 * The precomputed decoding of one BTF type: how many bytes it occupies and how to turn them into JSON. A
 * layout is positioned by its caller: {@code position} is where its first byte lies and {@code end} is where the
 * sample's bytes end. Immutable; shared by every thread decoding with it.
 *
 * <p>Presence rule: a scalar (integer, bool, enum, pointer, float, bitfield) is present only when every byte
 * its bits touch lies before {@code end}; an aggregate (string, array, struct, union) is present when at least
 * one of its bytes does, or, when it has no bytes (a flexible array), when {@code position <= end}.
 */
abstract class Layout {

    /** Bytes the value occupies from its position: for a bitfield, the bytes its bits touch. */
    final int size;
    /** The value's C type, for error messages. */
    final String cType;
    private final boolean scalar;

    Layout(int size, String cType, boolean scalar) {
        this.size = size;
        this.cType = cType;
        this.scalar = scalar;
    }

    final boolean presentAt(int position, int end) {
        int available = end - position;
        if (scalar) {
            return available >= size;
        }
        return size == 0 ? available >= 0 : available > 0;
    }

    final boolean isScalar() {
        return scalar;
    }

    /** How many of the value's bytes from {@code position} lie before {@code end}. */
    int presentBytes(int position, int end) {
        return Math.max(0, Math.min(size, end - position));
    }

    /** Writes the value at {@code position}, which {@link #presentAt} accepted. */
    abstract void write(JsonGenerator generator, ByteBuffer buffer, int position, int end);

    /** The value at {@code position}, which {@link #presentAt} accepted, as a tree node. */
    abstract JsonNode tree(ByteBuffer buffer, int position, int end);
}
