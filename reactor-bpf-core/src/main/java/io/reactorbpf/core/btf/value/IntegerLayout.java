package io.reactorbpf.core.btf.value;

import java.nio.ByteBuffer;

/** An integer-valued scalar (number, bool, enum, pointer, bitfield): the bits it reads. */
abstract class IntegerLayout extends Layout {

    final IntegerBits bits;

    IntegerLayout(IntegerBits bits, String cType) {
        super(bits.span, cType, true);
        this.bits = bits;
    }

    final long read(ByteBuffer buffer, int position) {
        return bits.read(buffer, position);
    }
}
