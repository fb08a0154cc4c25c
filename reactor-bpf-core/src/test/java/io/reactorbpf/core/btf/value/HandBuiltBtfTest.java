package io.reactorbpf.core.btf.value;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.btf.BtfType.Enumerator;
import io.reactorbpf.core.btf.BtfType.Member;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shapes clang does not emit for the test object, built as BTF by hand. */
class HandBuiltBtfTest {

    private static final BtfType.Int U32 = new BtfType.Int("unsigned int", 4, 0, 0, 32);

    private static String decode(List<BtfType> types, byte[] sample) {
        Btf btf = Btf.of(types);
        BtfJsonDecoder decoder = BtfJsonDecoder.forType(btf, "s");
        String tree = EventShapes.json(decoder, ByteBuffer.wrap(sample), 0, sample.length);
        assertEquals(tree, EventShapes.written(decoder, ByteBuffer.wrap(sample), 0, sample.length));
        return tree;
    }

    private static byte[] littleEndian(int size, long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            buffer.putLong(v);
        }
        return buffer.array();
    }

    @Test
    void intEncodedBitfieldsReadTheirBitsWithinTheInt() {
        List<BtfType> types = List.of(
                U32,
                new BtfType.Int("unsigned int", 4, 0, 4, 8),
                new BtfType.Int("int", 4, BtfType.Int.SIGNED, 12, 4),
                new BtfType.Struct("s", 4, false, List.of(
                        new Member("a", 2, 0, 0), new Member("b", 3, 0, 0))));
        // bits 4..11 hold 0xab, bits 12..15 hold 0b1000 (-8 as a signed 4-bit value)
        assertEquals("{\"a\":171,\"b\":-8}", decode(types, littleEndian(8, 0x8ab0L)));
    }

    @Test
    void enum64ValueAboveLongMaxIsNamedAndUnknownOnesStayUnsigned() {
        List<BtfType> types = List.of(
                new BtfType.Enum64("big", 8, false, List.of(new Enumerator("ALL", -1L), new Enumerator("ONE", 1))),
                new BtfType.Struct("s", 16, false, List.of(new Member("x", 1, 0, 0), new Member("y", 1, 64, 0))));
        assertEquals("{\"x\":\"ALL\",\"y\":18446744073709551614}", decode(types, littleEndian(16, -1L, -2L)));
    }

    @Test
    void signedEnumNamesNegativeValues() {
        List<BtfType> types = List.of(
                new BtfType.Enum("e", 4, true, List.of(new Enumerator("NEG", -5), new Enumerator("POS", 5))),
                new BtfType.Struct("s", 8, false, List.of(new Member("x", 1, 0, 0), new Member("y", 1, 32, 0))));
        assertEquals("{\"x\":\"NEG\",\"y\":-6}", decode(types, littleEndian(8, (0xfffffffaL << 32) | 0xfffffffbL)));
    }

    @Test
    void firstDeclaredNameWinsForASharedValue() {
        List<BtfType> types = List.of(
                new BtfType.Enum("e", 4, false, List.of(new Enumerator("FIRST", 3), new Enumerator("ALIAS", 3))),
                new BtfType.Struct("s", 4, false, List.of(new Member("x", 1, 0, 0))));
        assertEquals("{\"x\":\"FIRST\"}", decode(types, littleEndian(8, 3)));
    }

    @Test
    void charEncodedArrayIsAStringAndUnsignedCharArrayIsNumbers() {
        List<BtfType> types = List.of(
                new BtfType.Int("u8_char", 1, BtfType.Int.CHAR, 0, 8),
                new BtfType.Int("unsigned char", 1, 0, 0, 8),
                new BtfType.Array("", 1, 1, 2),
                new BtfType.Array("", 2, 1, 2),
                new BtfType.Struct("s", 4, false, List.of(new Member("text", 3, 0, 0), new Member("raw", 4, 16, 0))));
        assertEquals("{\"text\":\"hi\",\"raw\":[104,105]}", decode(types, "hihi".getBytes()));
    }

    @Test
    void multiDimensionalCharArrayIsAnArrayOfStrings() {
        List<BtfType> types = List.of(
                new BtfType.Int("char", 1, BtfType.Int.SIGNED, 0, 8),
                new BtfType.Array("", 1, 1, 3),
                new BtfType.Array("", 2, 1, 2),
                new BtfType.Struct("s", 6, false, List.of(new Member("names", 3, 0, 0))));
        assertEquals("{\"names\":[\"ab\",\"cd\"]}", decode(types, new byte[] {'a', 'b', 0, 'c', 'd', 0}));
    }

    @Test
    void flexibleArrayOfStructsHoldsTheElementsTheBytesReach() {
        List<BtfType> types = List.of(
                U32,
                new BtfType.Struct("pair", 8, false, List.of(new Member("k", 1, 0, 0), new Member("v", 1, 32, 0))),
                new BtfType.Array("", 2, 1, 0),
                new BtfType.Struct("s", 4, false, List.of(new Member("n", 1, 0, 0), new Member("items", 3, 32, 0))));
        byte[] sample = ByteBuffer.allocate(4 + 8 + 6).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(2).putInt(10).putInt(11).putInt(20).putShort((short) 21).array();
        assertEquals("{\"n\":2,\"items\":[{\"k\":10,\"v\":11},{\"k\":20}]}", decode(types, sample));
    }

    @Test
    void zeroLengthArrayBeforeOtherMembersIsEmpty() {
        List<BtfType> types = List.of(
                U32,
                new BtfType.Array("", 1, 1, 0),
                new BtfType.Struct("s", 4, false, List.of(new Member("marker", 2, 0, 0), new Member("n", 1, 0, 0))));
        assertEquals("{\"marker\":[],\"n\":7}", decode(types, littleEndian(8, 7)));
    }

    @Test
    void int128IsAnExactNumber() {
        List<BtfType> types = List.of(
                new BtfType.Int("unsigned __int128", 16, 0, 0, 128),
                new BtfType.Struct("s", 16, false, List.of(new Member("x", 1, 0, 0))));
        assertEquals("{\"x\":340282366920938463463374607431768211455}", decode(types, littleEndian(16, -1L, -1L)));
    }

    @Test
    void longDoubleIsTheHexOfItsBytes() {
        List<BtfType> types = List.of(
                new BtfType.Float("long double", 16),
                new BtfType.Struct("s", 16, false, List.of(new Member("x", 1, 0, 0))));
        assertEquals("{\"x\":\"0102000000000000ff00000000000000\"}", decode(types, littleEndian(16, 0x0201L, 0xffL)));
    }

    @Test
    void bitfieldCrossingAByteBoundaryIntoANinthByteReadsAllItsBits() {
        List<BtfType> types = List.of(
                new BtfType.Int("unsigned long long", 8, 0, 0, 64),
                new BtfType.Struct("s", 16, true, List.of(new Member("x", 1, 4, 64))));
        // x's 64 bits sit at bits 4..67: all ones there, zeros around them
        byte[] sample = littleEndian(16, 0xfffffffffffffff0L, 0x0fL);
        assertEquals("{\"x\":18446744073709551615}", decode(types, sample));
    }

    @Test
    void unsignedValuesFromTwoToThe63rdUpAreExactAndPositive() {
        List<BtfType> types = List.of(
                new BtfType.Int("unsigned long long", 8, 0, 0, 64),
                new BtfType.Struct("s", 16, false, List.of(new Member("x", 1, 0, 0), new Member("y", 1, 64, 0))));
        assertEquals("{\"x\":9223372036854775808,\"y\":10000000000000000000}",
                decode(types, littleEndian(16, Long.MIN_VALUE, Long.parseUnsignedLong("10000000000000000000"))));
    }
}
