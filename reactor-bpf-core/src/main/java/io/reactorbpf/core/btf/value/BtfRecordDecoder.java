package io.reactorbpf.core.btf.value;

import io.reactorbpf.core.btf.Btf;

import java.nio.ByteBuffer;

/**
 * Decodes samples of one BTF struct or union into instances of a Java record, matching record components to
 * members by name; a snake_case member also matches its camelCase component ({@code tail_len} ->
 * {@code tailLen}). Members of anonymous structs and unions count as members of the enclosing type.
 *
 * <p>Component types and the members they accept: {@code long}, {@code int}, {@code short}, {@code byte} from
 * integers, enums, pointers and bitfields whose bits fit (an unsigned value keeps its bits, as Java's own
 * unsigned arithmetic expects); {@code boolean} from the same (non-zero is true); {@code double} from float or
 * double, {@code float} from float; {@code String} from a char array (up to the first NUL, malformed UTF-8
 * replaced) or an enum (its value's name, else its number); {@code byte[]} from any member (its raw bytes);
 * {@code int[]}/{@code long[]} from arrays of integers that fit; a record from a nested struct or union.
 *
 * <p>Short samples: a member that is absent under {@link BtfJsonDecoder}'s presence rule gives its component the
 * default value ({@code 0}, {@code false}, {@code 0.0}, {@code null}); a string, array or byte[] cut short holds
 * what is present; a nested record cut short has defaults for its missing members.
 *
 * <p>Every check (a component with no member, a type that cannot hold the member) is made by
 * {@link #forType}, which names the component and member. Immutable after construction and safe to use from
 * any number of threads; the buffer is only read, with absolute gets.
 *
 * @param <R> the record class samples decode into
 * @since 0.1
 */
public final class BtfRecordDecoder<R extends Record> {

    private final RecordReader<R> reader;
    private final int size;

    private BtfRecordDecoder(RecordReader<R> reader, int size) {
        this.reader = reader;
        this.size = size;
    }

    /**
     * A decoder of the struct or union named {@code name} (or a typedef of one) into {@code recordClass}.
     *
     * @param btf the types, such as the object's {@code ObjectSpec.btf()}
     * @param name the struct's or union's tag, or a typedef's name
     * @param recordClass the record whose components receive the members
     * @param <R> the record class
     * @return the decoder, checked and planned once, reusable for every sample
     * @throws BtfValueException when there is no such type (close names listed), a component has no member,
     *                           or a component's type cannot hold its member
     */
    public static <R extends Record> BtfRecordDecoder<R> forType(Btf btf, String name, Class<R> recordClass) {
        return of(LayoutPlanner.plan(btf, name), recordClass);
    }

    /**
     * A decoder of the struct or union (or typedef of one) with id {@code typeId} into {@code recordClass}.
     *
     * @param btf the types
     * @param typeId the id of the struct, union or typedef
     * @param recordClass the record whose components receive the members
     * @param <R> the record class
     * @return the decoder, checked and planned once, reusable for every sample
     * @throws BtfValueException when the type is not a struct or union, a component has no member, or a
     *         component's type cannot hold its member
     */
    public static <R extends Record> BtfRecordDecoder<R> forType(Btf btf, int typeId, Class<R> recordClass) {
        return of(LayoutPlanner.plan(btf, typeId), recordClass);
    }

    private static <R extends Record> BtfRecordDecoder<R> of(CompositeLayout layout, Class<R> recordClass) {
        return new BtfRecordDecoder<>(new RecordReader<>(recordClass, layout), layout.size);
    }

    /**
     * The type's size in bytes, not counting a flexible array's elements.
     *
     * @return the size
     */
    public int size() {
        return size;
    }

    /**
     * The sample at {@code [offset, offset + length)} of {@code buffer} as a new record.
     *
     * @param buffer holds the sample; only read
     * @param offset where the sample starts, an absolute index
     * @param length the sample's length, which may be shorter than {@link #size()}
     * @return a new record, absent members at their defaults
     * @throws BtfValueException when the region lies outside the buffer's limit
     */
    public R decode(ByteBuffer buffer, int offset, int length) {
        SampleBytes.checkRegion(buffer, offset, length);
        return reader.read(buffer, offset, offset + length);
    }
}
