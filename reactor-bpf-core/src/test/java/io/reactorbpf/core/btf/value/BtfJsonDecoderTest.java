package io.reactorbpf.core.btf.value;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfKind;
import io.reactorbpf.core.btf.BtfType;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BtfJsonDecoderTest {

    private static final String FULL = "{\"u8_val\":255,\"s8_val\":-128,\"u16_val\":65535,\"s16_val\":-32768,"
            + "\"u32_val\":4294967295,\"s32_val\":-2147483648,\"u64_val\":18446744073709551615,"
            + "\"s64_val\":-9223372036854775808,\"flag\":true,\"letter\":65,\"low\":5,\"mid\":-3,\"high\":4194303,"
            + "\"kind\":\"KIND_EXEC\",\"pid\":4242,\"comm\":\"reactor-bpf\",\"counts\":[-1,0,7],"
            + "\"addr\":{\"port\":8080,\"family\":2,\"flags\":128,\"ip\":16777343},"
            + "\"arg\":{\"as_u64\":4294967294,\"as_s32\":-2,\"bytes\":[254,255,255,255,0,0,0,0]},"
            + "\"where\":18446612682375452280,\"ratio_f\":0.5,\"ratio\":2.25,\"qualified\":7,"
            + "\"inner_a\":1,\"inner_b\":2,\"tail_len\":5,\"tail\":\"hello\"}";

    private final Btf btf = EventShapes.btf();
    private final BtfJsonDecoder decoder = BtfJsonDecoder.forType(btf, "event");

    @Test
    void btfLayoutAgreesWithGcc() {
        assertEquals(EventShapes.size(), decoder.size());
        BtfType.Struct event = (BtfType.Struct) btf.type(btf.findByName("event", BtfKind.STRUCT).getAsInt());
        Map<String, Integer> fromBtf = memberOffsets(event, 0);
        for (String line : EventShapes.offsets()) {
            String[] parts = line.split(" ");
            assertEquals(Integer.parseInt(parts[1]), fromBtf.get(parts[0]), parts[0]);
        }
    }

    @Test
    void fullSampleDecodesEveryMember() {
        byte[] sample = EventShapes.full();
        assertEquals(FULL, EventShapes.json(decoder, ByteBuffer.wrap(sample), 0, sample.length));
    }

    @Test
    void generatorWritesWhatTheTreeHolds() {
        byte[] sample = EventShapes.full();
        assertEquals(FULL, EventShapes.written(decoder, ByteBuffer.wrap(sample), 0, sample.length));
    }

    @Test
    void propertiesGoIntoTheCallersObjectBesideItsOwn() {
        byte[] sample = EventShapes.full();
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = JsonMapper.builder().build().createGenerator(out)) {
            generator.writeStartObject();
            generator.writeNumberProperty("cpu", 3);
            decoder.writeProperties(generator, ByteBuffer.wrap(sample), 0, sample.length);
            generator.writeEndObject();
        }
        assertEquals("{\"cpu\":3," + FULL.substring(1), out.toString());
    }

    @Test
    void thePropertiesItWritesAreKnownBeforehandAnonymousMembersIncluded() {
        assertTrue(decoder.hasProperty("pid"));
        assertTrue(decoder.hasProperty("inner_a"), "a member of an anonymous struct is written at the top");
        assertEquals(false, decoder.hasProperty("port"), "a member of a named member is nested");
        assertEquals(false, decoder.hasProperty("cpu"));
    }

    @Test
    void sampleIsReadAtItsOffsetInsideALargerDirectBuffer() {
        byte[] sample = EventShapes.full();
        ByteBuffer buffer = ByteBuffer.allocateDirect(sample.length + 100);
        buffer.put(37, sample);
        assertEquals(FULL, EventShapes.written(decoder, buffer, 37, sample.length));
        assertEquals(0, buffer.position());
    }

    @Test
    void enumValueWithoutNameIsItsNumber() {
        assertEquals(7, tree(EventShapes.edges()).get("kind").asInt());
    }

    @Test
    void charArrayWithoutNulIsTheWholeArray() {
        assertEquals("abcdefghijklmnop", tree(EventShapes.edges()).get("comm").asString());
    }

    @Test
    void flexibleCharArrayStopsAtItsNul() {
        assertEquals("hi", tree(EventShapes.edges()).get("tail").asString());
    }

    @Test
    void signedBitfieldAtItsMinimumIsNegative() {
        JsonNode edges = tree(EventShapes.edges());
        assertEquals(-64, edges.get("mid").asInt());
        assertEquals(0, edges.get("low").asInt());
        assertEquals(1, edges.get("high").asInt());
    }

    @Test
    void unsignedSixtyFourBitValueAtLongMaxStaysALong() {
        assertEquals("9223372036854775807", tree(EventShapes.edges()).get("u64_val").toString());
    }

    @Test
    void malformedUtf8IsReplacedNotThrown() {
        byte[] sample = EventShapes.malformed();
        JsonNode node = tree(sample);
        assertEquals("\uFFFD(ok", node.get("comm").asString());
        assertEquals("\uFFFD\uFFFD", node.get("tail").asString());
        assertEquals(EventShapes.json(decoder, ByteBuffer.wrap(sample), 0, sample.length),
                EventShapes.written(decoder, ByteBuffer.wrap(sample), 0, sample.length));
    }

    @Test
    void unionDecodesEveryMemberOverTheSameBytes() {
        assertEquals("{\"as_u64\":4294967294,\"as_s32\":-2,\"bytes\":[254,255,255,255,0,0,0,0]}",
                tree(EventShapes.full()).get("arg").toString());
    }

    @Test
    void sampleEndingWhereTheFlexibleArrayStartsHasItEmpty() {
        byte[] sample = EventShapes.full();
        JsonNode node = decoder.toTree(ByteBuffer.wrap(sample), 0, offset("tail"));
        assertEquals("", node.get("tail").asString());
    }

    @Test
    void flexibleArrayReadsIntoTheStructsTrailingPaddingAsCDoes() {
        assertTrue(offset("tail") < decoder.size());
        JsonNode node = decoder.toTree(ByteBuffer.wrap(EventShapes.full()), 0, decoder.size());
        assertEquals("hello", node.get("tail").asString());
    }

    @Test
    void emptySampleIsAnEmptyObject() {
        assertEquals("{}", EventShapes.written(decoder, ByteBuffer.wrap(EventShapes.full()), 0, 0));
    }

    @Test
    void scalarCutShortIsOmitted() {
        int u64 = offset("u64_val");
        JsonNode node = decoder.toTree(ByteBuffer.wrap(EventShapes.full()), 0, u64 + 7);
        assertEquals("{\"u8_val\":255,\"s8_val\":-128,\"u16_val\":65535,\"s16_val\":-32768,"
                + "\"u32_val\":4294967295,\"s32_val\":-2147483648}", node.toString());
    }

    @Test
    void stringCutShortHoldsTheBytesThere() {
        JsonNode node = decoder.toTree(ByteBuffer.wrap(EventShapes.full()), 0, offset("comm") + 5);
        assertEquals("react", node.get("comm").asString());
        assertTrue(node.get("counts") == null);
    }

    @Test
    void arrayCutShortHoldsItsWholeElements() {
        JsonNode node = decoder.toTree(ByteBuffer.wrap(EventShapes.full()), 0, offset("counts") + 7);
        assertEquals("[-1]", node.get("counts").toString());
    }

    @Test
    void structCutShortHoldsItsPresentMembers() {
        JsonNode node = decoder.toTree(ByteBuffer.wrap(EventShapes.full()), 0, offset("addr") + 5);
        assertEquals("{\"port\":8080,\"family\":2,\"flags\":128}", node.get("addr").toString());
    }

    @Test
    void everyTruncationDecodesThePresentMembersExactly() {
        byte[] sample = EventShapes.full();
        JsonNode full = tree(sample);
        BtfType.Struct event = (BtfType.Struct) btf.type(btf.findByName("event", BtfKind.STRUCT).getAsInt());
        for (int length = 0; length <= sample.length; length++) {
            ByteBuffer buffer = ByteBuffer.wrap(sample);
            JsonNode cut = decoder.toTree(buffer, 0, length);
            assertEquals(cut.toString(), EventShapes.written(decoder, buffer, 0, length), "length " + length);
            assertCutOf(full, cut, "length " + length);
            for (Map.Entry<String, Boolean> expected : presence(event, 0, length).entrySet()) {
                assertEquals(expected.getValue(), cut.has(expected.getKey()),
                        expected.getKey() + " present at length " + length);
            }
        }
    }

    @Test
    void unknownStructNameListsCloseNames() {
        BtfValueException e = assertThrows(BtfValueException.class, () -> BtfJsonDecoder.forType(btf, "evnt"));
        assertTrue(e.getMessage().contains("'evnt'"), e.getMessage());
        assertTrue(e.getMessage().contains("close names: event"), e.getMessage());
    }

    @Test
    void typeThatIsNotACompositeIsRefused() {
        int u32 = btf.findByName("u32", BtfKind.TYPEDEF).getAsInt();
        BtfValueException e = assertThrows(BtfValueException.class, () -> BtfJsonDecoder.forType(btf, u32));
        assertTrue(e.getMessage().contains("not a struct or union"), e.getMessage());
    }

    @Test
    void regionOutsideTheBufferIsRefused() {
        ByteBuffer buffer = ByteBuffer.allocate(16);
        BtfValueException e = assertThrows(BtfValueException.class, () -> decoder.toTree(buffer, 8, 9));
        assertTrue(e.getMessage().contains("limit 16"), e.getMessage());
        assertThrows(BtfValueException.class, () -> decoder.toTree(buffer, -1, 4));
    }

    private JsonNode tree(byte[] sample) {
        return decoder.toTree(ByteBuffer.wrap(sample), 0, sample.length);
    }

    private static int offset(String member) {
        return EventShapes.offset(member);
    }

    /** Offsets in bytes of the named members, with an anonymous member's own members flattened in. */
    private Map<String, Integer> memberOffsets(BtfType.Composite type, int base) {
        Map<String, Integer> offsets = new LinkedHashMap<>();
        for (BtfType.Member m : type.members()) {
            int at = base + m.bitOffset() / 8;
            if (m.name().isEmpty()) {
                offsets.putAll(memberOffsets((BtfType.Composite) btf.type(btf.skipModsAndTypedefs(m.type())), at));
            } else {
                offsets.put(m.name(), at);
            }
        }
        return offsets;
    }

    /**
     * Whether each member must be present in a sample of {@code length} bytes, from BTF alone: a scalar needs
     * every byte its bits touch, an aggregate one byte, a zero-sized aggregate only its offset.
     */
    private Map<String, Boolean> presence(BtfType.Composite type, int baseBits, int length) {
        Map<String, Boolean> present = new LinkedHashMap<>();
        for (BtfType.Member m : type.members()) {
            int startBit = baseBits + m.bitOffset();
            BtfType t = btf.type(btf.skipModsAndTypedefs(m.type()));
            if (m.name().isEmpty()) {
                present.putAll(presence((BtfType.Composite) t, startBit, length));
                continue;
            }
            int start = startBit / 8;
            boolean aggregate = t.kind() == BtfKind.STRUCT || t.kind() == BtfKind.UNION || t.kind() == BtfKind.ARRAY;
            long size = m.bitfieldSize() > 0 ? (startBit % 8 + m.bitfieldSize() + 7) / 8 : btf.resolveSize(m.type());
            boolean expected = !aggregate ? start + size <= length : size == 0 ? start <= length : start < length;
            present.put(m.name(), expected);
        }
        return present;
    }

    /** {@code cut} holds only what {@code full} holds: same scalars, prefixes of strings and arrays. */
    static void assertCutOf(JsonNode full, JsonNode cut, String where) {
        if (cut.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = cut.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                assertTrue(full.has(e.getKey()), where + ": unexpected " + e.getKey());
                assertCutOf(full.get(e.getKey()), e.getValue(), where + "." + e.getKey());
            }
        } else if (cut.isArray()) {
            assertTrue(cut.size() <= full.size(), where + ": array longer than the full one");
            for (int i = 0; i < cut.size(); i++) {
                assertCutOf(full.get(i), cut.get(i), where + "[" + i + "]");
            }
        } else if (cut.isString()) {
            assertTrue(full.asString().startsWith(cut.asString()), where + ": " + cut + " is not a prefix of " + full);
        } else {
            assertEquals(full, cut, where);
        }
    }

    @Test
    void presenceRuleCoversEveryMember() {
        BtfType.Struct event = (BtfType.Struct) btf.type(btf.findByName("event", BtfKind.STRUCT).getAsInt());
        List<String> keys = List.copyOf(presence(event, 0, Integer.MAX_VALUE).keySet());
        List<String> decoded = List.copyOf(tree(EventShapes.full()).propertyNames());
        assertEquals(keys, decoded);
    }

    @Test
    void anArrayOfElementsWithoutBytesIsEmptyHoweverLongBtfSaysItIs() {
        // struct empty {}; struct event { int pid; struct empty none[1 << 30]; }
        io.reactorbpf.core.btf.Btf btf = io.reactorbpf.core.btf.Btf.of(java.util.List.of(
                new BtfType.Int("int", 4, 1, 0, 32),
                new BtfType.Struct("empty", 0, false, java.util.List.of()),
                new BtfType.Array("", 2, 1, 1 << 30),
                new BtfType.Struct("event", 4, false, java.util.List.of(new BtfType.Member("pid", 1, 0, 0),
                        new BtfType.Member("none", 3, 32, 0)))));
        java.nio.ByteBuffer sample = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.nativeOrder()).putInt(0, 7);
        assertEquals("{\"pid\":7,\"none\":[]}",
                BtfJsonDecoder.forValue(btf, 4).toJson(sample, 0, 4).toString());
    }
}
