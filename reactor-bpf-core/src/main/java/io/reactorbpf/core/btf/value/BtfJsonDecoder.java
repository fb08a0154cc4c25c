package io.reactorbpf.core.btf.value;

import io.reactorbpf.core.btf.Btf;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;

/**
 * Decodes samples of one BTF struct or union (or, made with {@link #forValue}, values of any sized type: a map's
 * keys and values) into JSON, as a Jackson tree or straight into a
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
 *
 * @since 0.1
 */
public final class BtfJsonDecoder {

    private final Layout layout;
    private final String typeName;

    private BtfJsonDecoder(Layout layout) {
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
     * A decoder for values of any sized type with id {@code typeId}, such as a map's keys and values: an integer,
     * enum, float, pointer or array as well as a struct or union, and a {@code DATASEC} (a global data map's
     * value) as an object of its variables. Only a struct, union or data section has properties for
     * {@link #toTree} and {@link #writeProperties}; {@link #toJson} and {@link #write} take any.
     *
     * @param btf    the BTF that holds the type, such as a map's {@code MapBtf.btf()}
     * @param typeId the type's id in {@code btf}
     * @return an immutable decoder, safe to share between threads
     * @throws BtfValueException when the type has no value to decode (void, a function) or its BTF cannot be decoded
     */
    public static BtfJsonDecoder forValue(Btf btf, int typeId) {
        return new BtfJsonDecoder(LayoutPlanner.planValue(btf, typeId));
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
     * @throws BtfValueException when the region lies outside the buffer's limit, or the type is not a struct,
     *                           union or data section
     */
    public ObjectNode toTree(ByteBuffer buffer, int offset, int length) {
        SampleBytes.checkRegion(buffer, offset, length);
        return composite().tree(buffer, offset, offset + length);
    }

    /**
     * The value at {@code [offset, offset + length)} of {@code buffer} as a new node of any kind: an object for a
     * struct, a number, string or array for the others; a null node for a scalar whose bytes are not all there.
     *
     * @param buffer holds the value; only read
     * @param offset where the value starts, an absolute index
     * @param length how many of the value's bytes are there
     * @return a new node, owned by the caller
     * @throws BtfValueException when the region lies outside the buffer's limit
     */
    public JsonNode toJson(ByteBuffer buffer, int offset, int length) {
        SampleBytes.checkRegion(buffer, offset, length);
        if (!(layout instanceof CompositeLayout) && !layout.presentAt(offset, offset + length)) {
            return JsonNodeFactory.instance.nullNode();
        }
        return layout.tree(buffer, offset, offset + length);
    }

    /**
     * Writes the sample at {@code [offset, offset + length)} of {@code buffer} as one JSON value into
     * {@code generator} (an object for a struct or union), building no tree; ASCII strings and names allocate
     * nothing. A scalar whose bytes are not all there is written as null. Separators between values are the
     * generator's business. Errors of the generator propagate as Jackson's own exceptions.
     *
     * @param generator where the object is written; used on the calling thread only
     * @param buffer holds the sample; only read
     * @param offset where the sample starts, an absolute index
     * @param length the sample's length
     * @throws BtfValueException when the region lies outside the buffer's limit
     */
    public void write(JsonGenerator generator, ByteBuffer buffer, int offset, int length) {
        SampleBytes.checkRegion(buffer, offset, length);
        if (!(layout instanceof CompositeLayout) && !layout.presentAt(offset, offset + length)) {
            generator.writeNull();
            return;
        }
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
     * @throws BtfValueException when the region lies outside the buffer's limit, or the type is not a struct,
     *                           union or data section
     */
    public void writeProperties(JsonGenerator generator, ByteBuffer buffer, int offset, int length) {
        SampleBytes.checkRegion(buffer, offset, length);
        composite().writeFields(generator, buffer, offset, offset + length);
    }

    /**
     * Whether {@link #writeProperties} writes a property named {@code name}, so that a caller adding properties of
     * its own around the sample's can avoid writing a name twice.
     *
     * @param name a property name, such as {@code cpu}
     * @return true when the struct or union has a member of that name (an anonymous member's members included);
     *     false for other types
     */
    public boolean hasProperty(String name) {
        return layout instanceof CompositeLayout c && c.hasField(name);
    }

    private CompositeLayout composite() {
        if (layout instanceof CompositeLayout c) {
            return c;
        }
        throw new BtfValueException(typeName + " is not a struct or union, so it has no properties: use toJson or write");
    }

    @Override
    public String toString() {
        return "BtfJsonDecoder[" + typeName + ", " + layout.size + " bytes]";
    }
}
