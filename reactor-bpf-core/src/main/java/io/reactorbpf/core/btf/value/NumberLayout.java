package io.reactorbpf.core.btf.value;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

import java.nio.ByteBuffer;

/** An integer, character, pointer or bitfield written as a JSON number; unsigned 64-bit values stay unsigned. */
final class NumberLayout extends IntegerLayout {

    private static final ThreadLocal<char[]> DIGITS = ThreadLocal.withInitial(() -> new char[20]);

    NumberLayout(IntegerBits bits, String cType) {
        super(bits, cType);
    }

    @Override
    void write(JsonGenerator generator, ByteBuffer buffer, int position, int end) {
        write(generator, bits, read(buffer, position));
    }

    static void write(JsonGenerator generator, IntegerBits bits, long value) {
        if (bits.exceedsLong(value)) {
            // kernel pointers all land here: format into a per-thread buffer rather than a new String
            char[] digits = DIGITS.get();
            int start = unsignedDigits(value, digits);
            generator.writeNumber(digits, start, digits.length - start);
        } else {
            generator.writeNumber(value);
        }
    }

    @Override
    JsonNode tree(ByteBuffer buffer, int position, int end) {
        long value = read(buffer, position);
        return number(bits, value);
    }

    static JsonNode number(IntegerBits bits, long value) {
        if (bits.exceedsLong(value)) {
            return JsonNodeFactory.instance.numberNode(IntegerBits.unsigned(value));
        }
        return JsonNodeFactory.instance.numberNode(value);
    }

    /** Writes {@code value}'s unsigned decimal digits at the end of {@code digits}; returns where they start. */
    static int unsignedDigits(long value, char[] digits) {
        int at = digits.length;
        // one unsigned division brings the value into the positive long range
        long rest = Long.divideUnsigned(value, 10);
        digits[--at] = (char) ('0' + (value - rest * 10));
        while (rest != 0) {
            digits[--at] = (char) ('0' + rest % 10);
            rest /= 10;
        }
        return at;
    }
}
