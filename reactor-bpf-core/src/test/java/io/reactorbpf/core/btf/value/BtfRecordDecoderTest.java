package io.reactorbpf.core.btf.value;

import io.reactorbpf.core.btf.Btf;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BtfRecordDecoderTest {

    record Addr(int port, byte family, long ip) {
    }

    record Event(long u64Val, int s32Val, short s16Val, byte s8Val, boolean flag, int mid, String kind, int pid,
                 String comm, int[] counts, Addr addr, long where, float ratioF, double ratio, int innerB,
                 int tailLen, String tail, byte[] arg) {
    }

    record Narrow(int u64Val) {
    }

    record Misnamed(int processId) {
    }

    record Longs(long[] counts, long kind) {
    }

    private final Btf btf = EventShapes.btf();
    private final BtfRecordDecoder<Event> decoder = BtfRecordDecoder.forType(btf, "event", Event.class);

    @Test
    void componentsTakeTheirMembersValues() {
        byte[] sample = EventShapes.full();
        Event e = decoder.decode(ByteBuffer.wrap(sample), 0, sample.length);
        assertEquals(-1L, e.u64Val());
        assertEquals(Integer.MIN_VALUE, e.s32Val());
        assertEquals(Short.MIN_VALUE, e.s16Val());
        assertEquals(Byte.MIN_VALUE, e.s8Val());
        assertTrue(e.flag());
        assertEquals(-3, e.mid());
        assertEquals("KIND_EXEC", e.kind());
        assertEquals(4242, e.pid());
        assertEquals("reactor-bpf", e.comm());
        assertArrayEquals(new int[] {-1, 0, 7}, e.counts());
        assertEquals(new Addr(8080, (byte) 2, 0x0100007f), e.addr());
        assertEquals(0xffff888012345678L, e.where());
        assertEquals(0.5f, e.ratioF());
        assertEquals(2.25, e.ratio());
        assertEquals(2, e.innerB());
        assertEquals(5, e.tailLen());
        assertEquals("hello", e.tail());
        assertArrayEquals(new byte[] {-2, -1, -1, -1, 0, 0, 0, 0}, e.arg());
    }

    @Test
    void missingBytesGiveDefaultValues() {
        Event e = decoder.decode(ByteBuffer.wrap(EventShapes.full()), 0, 0);
        assertEquals(0L, e.u64Val());
        assertEquals(0, e.pid());
        assertEquals(false, e.flag());
        assertEquals(0.0, e.ratio());
        assertNull(e.comm());
        assertNull(e.counts());
        assertNull(e.addr());
        assertNull(e.arg());
    }

    @Test
    void membersCutShortHoldWhatIsPresent() {
        byte[] sample = EventShapes.full();
        Event e = decoder.decode(ByteBuffer.wrap(sample), 0, EventShapes.offset("addr") + 3);
        assertEquals("reactor-bpf", e.comm());
        assertArrayEquals(new int[] {-1, 0, 7}, e.counts());
        assertEquals(new Addr(8080, (byte) 2, 0), e.addr());
    }

    @Test
    void intArraysWidenToLongArraysAndEnumsToTheirValues() {
        byte[] sample = EventShapes.full();
        Longs l = BtfRecordDecoder.forType(btf, "event", Longs.class).decode(ByteBuffer.wrap(sample), 0, sample.length);
        assertArrayEquals(new long[] {-1, 0, 7}, l.counts());
        assertEquals(100, l.kind());
    }

    @Test
    void enumWithoutNameBecomesItsNumberAsString() {
        byte[] sample = EventShapes.edges();
        assertEquals("7", decoder.decode(ByteBuffer.wrap(sample), 0, sample.length).kind());
    }

    @Test
    void componentWithoutMemberIsNamedAtConstruction() {
        BtfValueException e = assertThrows(BtfValueException.class,
                () -> BtfRecordDecoder.forType(btf, "event", Misnamed.class));
        assertTrue(e.getMessage().contains("Misnamed.processId"), e.getMessage());
        assertTrue(e.getMessage().contains("struct event"), e.getMessage());
    }

    @Test
    void componentTooNarrowForItsMemberIsRefused() {
        BtfValueException e = assertThrows(BtfValueException.class,
                () -> BtfRecordDecoder.forType(btf, "event", Narrow.class));
        assertTrue(e.getMessage().contains("Narrow.u64Val"), e.getMessage());
        assertTrue(e.getMessage().contains("64 bits do not fit in a int"), e.getMessage());
    }

    @Test
    void stringComponentForANumberMemberIsRefused() {
        record PidText(String pid) {
        }
        BtfValueException e = assertThrows(BtfValueException.class,
                () -> BtfRecordDecoder.forType(btf, "event", PidText.class));
        assertTrue(e.getMessage().contains("PidText.pid"), e.getMessage());
        assertTrue(e.getMessage().contains("pid_type"), e.getMessage());
    }

    @Test
    void snakeCaseMembersMatchCamelCaseComponents() {
        assertEquals("tailLen", RecordReader.camelCase("tail_len"));
        assertEquals("u64Val", RecordReader.camelCase("u64_val"));
        assertEquals("pid", RecordReader.camelCase("pid"));
        assertEquals("private", RecordReader.camelCase("__private"));
    }
}
