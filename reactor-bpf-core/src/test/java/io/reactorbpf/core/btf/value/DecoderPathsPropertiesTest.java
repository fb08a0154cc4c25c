package io.reactorbpf.core.btf.value;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import tools.jackson.databind.JsonNode;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Invariants of decoding any bytes, of any length, at any offset in heap and direct buffers. */
class DecoderPathsPropertiesTest {

    private static final BtfJsonDecoder DECODER = BtfJsonDecoder.forType(EventShapes.btf(), "event");
    private static final BtfRecordDecoder<BtfRecordDecoderTest.Event> RECORDS =
            BtfRecordDecoder.forType(EventShapes.btf(), "event", BtfRecordDecoderTest.Event.class);

    @Property(tries = 300)
    void generatorWritesExactlyWhatTheTreeHolds(@ForAll @Size(max = 200) byte[] bytes,
                                                @ForAll @IntRange(max = 200) int cut,
                                                @ForAll @IntRange(max = 16) int offset,
                                                @ForAll boolean direct) {
        ByteBuffer buffer = place(bytes, offset, direct);
        int length = Math.min(cut, bytes.length);
        assertEquals(EventShapes.json(DECODER, buffer, offset, length),
                EventShapes.written(DECODER, buffer, offset, length));
    }

    @Property(tries = 200)
    void truncatedSampleHoldsOnlyWhatTheFullSampleHolds(@ForAll @Size(min = 140, max = 160) byte[] bytes,
                                                        @ForAll @IntRange(max = 160) int cut) {
        // ASCII only: a malformed UTF-8 sequence cut short may decode to other replacement characters
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] &= 0x7f;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        JsonNode full = DECODER.toTree(buffer, 0, bytes.length);
        JsonNode truncated = DECODER.toTree(buffer, 0, Math.min(cut, bytes.length));
        BtfJsonDecoderTest.assertCutOf(full, truncated, "cut at " + cut);
    }

    @Property(tries = 200)
    void recordDecodingNeverFailsOnAnyLength(@ForAll @Size(max = 200) byte[] bytes,
                                             @ForAll @IntRange(max = 200) int cut) {
        RECORDS.decode(ByteBuffer.wrap(bytes), 0, Math.min(cut, bytes.length));
    }

    private static ByteBuffer place(byte[] bytes, int offset, boolean direct) {
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(offset + bytes.length + 8)
                : ByteBuffer.allocate(offset + bytes.length + 8);
        buffer.put(offset, bytes);
        return buffer;
    }
}
