package io.reactorbpf.core.btf.value;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfLinkage;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.btf.BtfType.Member;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link BtfJsonDecoder#forValue}: a map's keys and values, of any sized type, on hand-built BTF. */
class ValueDecodingTest {

    private static final BtfType.Int U32 = new BtfType.Int("unsigned int", 4, 0, 0, 32);
    private static final BtfType.Int CHAR = new BtfType.Int("char", 1, BtfType.Int.SIGNED, 0, 8);

    private static byte[] u32s(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    /** The value as toJson builds it, checked against what write streams. */
    private static String decode(Btf btf, int typeId, byte[] bytes) {
        BtfJsonDecoder decoder = BtfJsonDecoder.forValue(btf, typeId);
        String tree = decoder.toJson(ByteBuffer.wrap(bytes), 0, bytes.length).toString();
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JsonFactory.builder().build().createGenerator(ObjectWriteContext.empty(), out)) {
            decoder.write(g, ByteBuffer.wrap(bytes), 0, bytes.length);
        }
        assertEquals(tree, out.toString());
        return tree;
    }

    @Test
    void anIntegerValueIsANumber() {
        Btf btf = Btf.of(List.of(U32, new BtfType.Typedef("__u32", 1)));
        assertEquals("4000000000", decode(btf, 2, u32s((int) 4_000_000_000L)));
    }

    @Test
    void anArrayValueIsAnArrayAndACharArrayAString() {
        Btf btf = Btf.of(List.of(U32, new BtfType.Array("", 1, 1, 3), CHAR, new BtfType.Array("", 3, 1, 4)));
        assertEquals("[1,2,3]", decode(btf, 2, u32s(1, 2, 3)));
        assertEquals("\"abc\"", decode(btf, 4, "abc\0".getBytes()));
    }

    @Test
    void aStructValueIsAnObjectAsForType() {
        Btf btf = Btf.of(List.of(U32, new BtfType.Struct("key", 8, false,
                List.of(new Member("dev", 1, 0, 0), new Member("flags", 1, 32, 0)))));
        assertEquals("{\"dev\":8,\"flags\":1}", decode(btf, 2, u32s(8, 1)));
        assertEquals(decode(btf, 2, u32s(8, 1)),
                BtfJsonDecoder.forType(btf, 2).toTree(ByteBuffer.wrap(u32s(8, 1)), 0, 8).toString());
    }

    @Test
    void aDataSectionIsAnObjectOfItsVariablesAtTheirOffsets() {
        Btf btf = Btf.of(List.of(U32, new BtfType.Array("", 1, 1, 2),
                new BtfType.Var("hits", 1, BtfLinkage.GLOBAL), new BtfType.Var("hist", 2, BtfLinkage.STATIC),
                new BtfType.Datasec(".bss", 16, List.of(new BtfType.VarSecinfo(3, 0, 4),
                        new BtfType.VarSecinfo(4, 8, 8)))));
        assertEquals("{\"hits\":5,\"hist\":[6,7]}", decode(btf, 5, u32s(5, 99, 6, 7)));
    }

    @Test
    void aScalarCutShortIsNull() {
        Btf btf = Btf.of(List.of(U32));
        assertEquals("null", decode(btf, 1, new byte[3]));
    }

    @Test
    void aScalarHasNoPropertiesAndSaysSo() {
        BtfJsonDecoder decoder = BtfJsonDecoder.forValue(Btf.of(List.of(U32)), 1);
        BtfValueException e = assertThrows(BtfValueException.class,
                () -> decoder.toTree(ByteBuffer.wrap(u32s(1)), 0, 4));
        assertTrue(e.getMessage().contains("unsigned int is not a struct or union"), e.getMessage());
    }

    @Test
    void aTypeWithNoValueIsATypedError() {
        Btf btf = Btf.of(List.of(new BtfType.FuncProto("", 0, List.of())));
        assertThrows(BtfValueException.class, () -> BtfJsonDecoder.forValue(btf, 1));
    }

    @Test
    void aVariableOutsideItsSectionIsATypedError() {
        Btf btf = Btf.of(List.of(U32, new BtfType.Var("x", 1, BtfLinkage.GLOBAL),
                new BtfType.Datasec(".bss", 4, List.of(new BtfType.VarSecinfo(2, 2, 4)))));
        BtfValueException e = assertThrows(BtfValueException.class, () -> BtfJsonDecoder.forValue(btf, 3));
        assertTrue(e.getMessage().contains("outside data section"), e.getMessage());
    }
}
