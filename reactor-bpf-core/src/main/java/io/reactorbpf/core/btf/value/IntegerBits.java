package io.reactorbpf.core.btf.value;

import java.math.BigInteger;
import java.nio.ByteBuffer;

/**
 * Where an integer of at most 64 bits lies: {@code bits} bits starting {@code shift} bits into the
 * {@code span} bytes at a position (little-endian bit numbering, as bitfields are laid out on x86_64 and
 * aarch64). A whole 1, 2, 4 or 8-byte integer is the plain case {@code shift == 0 && bits == span * 8}.
 */
final class IntegerBits {

    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    final int span;
    final int shift;
    final int bits;
    final boolean signed;
    private final boolean plain;

    IntegerBits(int shift, int bits, boolean signed) {
        this.shift = shift;
        this.bits = bits;
        this.signed = signed;
        this.span = (shift + bits + 7) / 8;
        this.plain = shift == 0 && (bits == 8 || bits == 16 || bits == 32 || bits == 64);
    }

    /** The value sign- or zero-extended to 64 bits; an unsigned 64-bit value comes back as its raw bits. */
    long read(ByteBuffer buffer, int position) {
        if (plain) {
            switch (bits) {
                case 8:
                    byte b = buffer.get(position);
                    return signed ? b : b & 0xffL;
                case 16:
                    short s = SampleBytes.getShort(buffer, position);
                    return signed ? s : s & 0xffffL;
                case 32:
                    int i = SampleBytes.getInt(buffer, position);
                    return signed ? i : i & 0xffff_ffffL;
                default:
                    return SampleBytes.getLong(buffer, position);
            }
        }
        long raw = SampleBytes.getBytes(buffer, position, Math.min(span, 8)) >>> shift;
        if (span > 8) {
            // a 57..64-bit field that does not start on a byte boundary reaches into a ninth byte
            raw |= (buffer.get(position + 8) & 0xffL) << (64 - shift);
        }
        if (bits == 64) {
            return raw;
        }
        return signed ? (raw << (64 - bits)) >> (64 - bits) : raw & ((1L << bits) - 1);
    }

    /** True when {@code value} from {@link #read} is an unsigned number above {@link Long#MAX_VALUE}. */
    boolean exceedsLong(long value) {
        return !signed && value < 0;
    }

    static BigInteger unsigned(long value) {
        return BigInteger.valueOf(value).add(TWO_TO_64);
    }
}
