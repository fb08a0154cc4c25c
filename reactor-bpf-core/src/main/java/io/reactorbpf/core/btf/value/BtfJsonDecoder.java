package io.reactorbpf.core.btf.value;

import io.reactorbpf.core.btf.Btf;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;

/**
 * Decodes samples of one BTF struct or union into JSON, as a Jackson tree or straight into a
 * {@link JsonGenerator}. The decoding plan (member offsets, bit ranges, enum names, string and array extents)
 * is computed once by {@link #forType}; decoding a sample then reads only the sample's bytes.
 *
 * <p>Values: integers are JSON numbers (unsigned 64-bit values above {@code Long.MAX_VALUE} stay exact and
 * positive), bools are {@code true}/{@code false}, a lone {@code char} is its number, enums are the name of
 * their value (the number when the value has no name), pointers are unsigned numbers, floats and doubles are
 * numbers, char arrays are strings up to the first NUL (malformed UTF-8 replaced by U+FFFD), other arrays are
 * JSON arrays, structs are objects, unions are objects with every member decoded over the same bytes, and the
 * members of an anonymous struct or union appear in the enclosing object. Typedefs and qualifiers are skipped.
 * Byte order is little-endian (the BPF targets x86_64 and aarch64), whatever the buffer's own order.
 *
 * <p>Short samples are normal: tools send only the filled part of a trailing array. A member is written only
 * when it is present: a scalar (integer, bool, enum, pointer, float, bitfield) when every byte its bits touch
 * lies in the sample; a string, array, struct or union when at least one of its bytes does, decoded from the
 * bytes there are (a string stops at the sample's end, an array holds its whole scalar elements or its
 * aggregate elements that begin in the sample, a struct holds its present members); a zero-length array when
 * the sample reaches its offset. The top-level object is always written, empty for an empty sample. A
 * zero-length array that ends the type (a flexible array member) holds every element the remaining bytes reach.
 * Bytes past the type's size (other than a flexible array's) are ignored.
 *
 * <p>Immutable after construction and safe to use from any number of threads at once; the buffer is only read,
 * with absolute gets, and its position, limit and order are left as they are.
 */
public final class BtfJsonDecoder {

    private final CompositeLayout layout;
    private final String typeName;

    private BtfJsonDecoder(CompositeLayout layout) {
        this.layout = layout;
        this.typeName = layout.cType;
    }

    /**
     * A decoder for the struct or union named {@code name} in {@code btf} (a typedef of one also works).
     *
     * @param btf the types, such as the object's {@code ObjectSpec.btf()}
     * @param name the struct's or union's tag, or a typedef's name, such as {@code event}
     * @return the decoder, planned once and reusable for every sample
     * @throws BtfValueException when there is no such struct or union (the message lists close names), or when
     *                           its BTF cannot be decoded
     */
    public static BtfJsonDecoder forType(Btf btf, String name) {
        return new BtfJsonDecoder(LayoutPlanner.plan(btf, name));
    }

    /**
     * A decoder for the struct or union (or typedef of one) with id {@code typeId} in {@code btf}.
     *
     * @param btf the types
     * @param typeId the id of the struct, union or typedef
     * @return the decoder, planned once and reusable for every sample
     * @throws BtfValueException when the type is not a struct or union or its BTF cannot be decoded
     */
    public static BtfJsonDecoder forType(Btf btf, int typeId) {
        return new BtfJsonDecoder(LayoutPlanner.plan(btf, typeId));
    }

    /**
     * The decoded type as C names it, e.g. {@code "struct event"}.
     *
     * @return the C name
     */
    public String typeName() {
        return typeName;
    }

    /**
     * The type's size in bytes: a full sample's length, not counting a flexible array's elements.
     *
     * @return the size
     */
    public int size() {
        return layout.size;
    }

    /**
     * The sample at {@code [offset, offset + length)} of {@code buffer} as a new object node.
     *
     * @param buffer holds the sample, such as a ring's record or a copy of it; only read
     * @param offset where the sample starts, an absolute index
     * @param length the sample's length, which may be shorter or longer than {@link #size()}
     * @return a new object node, owned by the caller, with the members present in the sample
     * @throws BtfValueException when the region lies outside the buffer's limit
     */
    public ObjectNode toTree(ByteBuffer buffer, int offset, int length) {
        SampleBytes.checkRegion(buffer, offset, length);
        return layout.tree(buffer, offset, offset + length);
    }

    /**
     * Writes the sample at {@code [offset, offset + length)} of {@code buffer} as one JSON object value into
     * {@code generator}, building no tree; ASCII strings and names allocate nothing. Separators between values
     * are the generator's business. Errors of the generator propagate as Jackson's own exceptions.
     *
     * @param generator where the object is written; used on the calling thread only
     * @param buffer holds the sample; only read
     * @param offset where the sample starts, an absolute index
     * @param length the sample's length
     * @throws BtfValueException when the region lies outside the buffer's limit
     */
    public void write(JsonGenerator generator, ByteBuffer buffer, int offset, int length) {
        SampleBytes.checkRegion(buffer, offset, length);
        layout.write(generator, buffer, offset, offset + length);
    }

    /**
     * Writes the sample's members as properties of the object {@code generator} is inside, so a caller can add
     * properties of its own (a CPU, a timestamp) around them: {@code writeStartObject()}, its properties, this,
     * {@code writeEndObject()}. Same presence rule and errors as {@link #write}.
     *
     * @param generator where the properties are written, inside an object it has started
     * @param buffer holds the sample; only read
     * @param offset where the sample starts, an absolute index
     * @param length the sample's length
     * @throws BtfValueException when the region lies outside the buffer's limit
     */
    public void writeProperties(JsonGenerator generator, ByteBuffer buffer, int offset, int length) {
        SampleBytes.checkRegion(buffer, offset, length);
        layout.writeFields(generator, buffer, offset, offset + length);
    }

    @Override
    public String toString() {
        return "BtfJsonDecoder[" + typeName + ", " + layout.size + " bytes]";
    }
}
