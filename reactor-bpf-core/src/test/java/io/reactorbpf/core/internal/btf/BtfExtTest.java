package io.reactorbpf.core.internal.btf;

import io.reactorbpf.core.btf.ShapesObject;
import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfFormatException;
import io.reactorbpf.core.internal.btf.BtfExt.CoreRelo;
import io.reactorbpf.core.internal.btf.BtfExt.FuncInfo;
import io.reactorbpf.core.internal.btf.BtfExt.LineInfo;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import static io.reactorbpf.core.btf.ShapesObject.PROGRAM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BtfExtTest {

    private final Btf btf = ShapesObject.btf();
    private final BtfExt ext = BtfExt.parse(ShapesObject.section(".BTF.ext"), btf);

    @Test
    void recordSizesAreThoseClangWrites() {
        assertEquals(8, ext.funcInfoRecordSize());
        assertEquals(16, ext.lineInfoRecordSize());
        assertEquals(16, ext.coreReloRecordSize());
    }

    @Test
    void funcInfoNamesEachFunctionsFuncType() {
        assertEquals(Map.of(
                PROGRAM, List.of(new FuncInfo(0, 34)),
                ".text", List.of(new FuncInfo(0, 36))), ext.funcInfo());
        assertEquals(List.of(PROGRAM, ".text"), List.copyOf(ext.funcInfo().keySet()));
    }

    @Test
    void lineInfoPointsAtSourceLines() {
        assertEquals(18, ext.lineInfo().get(PROGRAM).size());
        assertEquals(5, ext.lineInfo().get(".text").size());
        LineInfo first = ext.lineInfo().get(PROGRAM).get(0);
        assertEquals(0, first.insnOffset());
        assertEquals("./btf_shapes.bpf.c", first.fileName());
        assertEquals("int observe(struct task_like *task)", first.line());
        assertEquals(63, first.lineNumber());
        assertEquals(0, first.column());
        LineInfo second = ext.lineInfo().get(PROGRAM).get(1);
        assertEquals(8, second.insnOffset());
        assertEquals("\tu32 key = task->tgid;", second.line());
        assertEquals(65, second.lineNumber());
        assertEquals(18, second.column());
    }

    @Test
    void lineInfoStringOffsetsStayValidInTheWrittenBtf() {
        Btf reread = Btf.parse(btf.toBytes());
        LineInfo line = ext.lineInfo().get(".text").get(0);
        assertEquals(line.line(), reread.stringAt(line.lineOffset(), "test"));
    }

    @Test
    void coreRelocationsWalkTheLocalStruct() {
        assertEquals(List.of(
                new CoreRelo(8, 31, 364, "0:1", CoreReloKind.FIELD_BYTE_OFFSET),
                new CoreRelo(56, 31, 435, "0:0", CoreReloKind.FIELD_BYTE_OFFSET),
                new CoreRelo(216, 31, 599, "0:2:1", CoreReloKind.FIELD_BYTE_OFFSET)),
                ext.coreRelos().get(PROGRAM));
        assertEquals(1, ext.coreRelos().size());
        assertArrayEquals(new int[] {0, 2, 1}, ext.coreRelos().get(PROGRAM).get(2).accessIndices());
        assertEquals("struct task_like", btf.describe(31));
    }

    @Test
    void largerRecordsFromNewerCompilersAreReadByTheirKnownPrefix() {
        BtfExt wide = BtfExt.parse(funcInfoBlock(12), btf);
        assertEquals(12, wide.funcInfoRecordSize());
        assertEquals(List.of(new FuncInfo(0, 34), new FuncInfo(64, 36)), wide.funcInfo().get(".text"));
    }

    @Test
    void recordsSmallerThanTheKernelsAreRejected() {
        BtfFormatException e = assertThrows(BtfFormatException.class, () -> BtfExt.parse(funcInfoBlock(4), btf));
        assertTrue(e.getMessage().contains("record size 4"), e.getMessage());
    }

    @Test
    void recordCountsBeyondTheBlockAreRejectedBeforeAllocating() {
        byte[] blob = funcInfoBlock(8);
        ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).putInt(32 + 4 + 4, Integer.MAX_VALUE);
        BtfFormatException e = assertThrows(BtfFormatException.class, () -> BtfExt.parse(blob, btf));
        assertTrue(e.getMessage().contains("'.text'") && e.getMessage().contains("do not fit"), e.getMessage());
    }

    @Test
    void unknownRelocationKindIsNamed() {
        byte[] blob = ShapesObject.section(".BTF.ext");
        ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
        int reloStart = b.getInt(4) + b.getInt(24);
        b.putInt(reloStart + 4 + 8 + 12, 99);
        BtfFormatException e = assertThrows(BtfFormatException.class, () -> BtfExt.parse(blob, btf));
        assertTrue(e.getMessage().contains("kind 99") && e.getMessage().contains(PROGRAM), e.getMessage());
    }

    @Test
    void typeIdsOutsideTheBtfAreRejected() {
        byte[] blob = funcInfoBlock(8);
        ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).putInt(32 + 4 + 8 + 4, 500);
        BtfFormatException e = assertThrows(BtfFormatException.class, () -> BtfExt.parse(blob, btf));
        assertTrue(e.getMessage().contains("type id 500"), e.getMessage());
    }

    /** A .BTF.ext with a 32-byte header and only func_info for ".text": two records of {@code recSize} bytes. */
    private byte[] funcInfoBlock(int recSize) {
        int text = stringSection(btf).length;
        int stringOffset = offsetOf(".text");
        int blockLen = 4 + 8 + 2 * Math.max(recSize, 8);
        ByteBuffer b = ByteBuffer.allocate(32 + blockLen).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0).putInt(32)
                .putInt(0).putInt(blockLen).putInt(blockLen).putInt(0).putInt(blockLen).putInt(0);
        b.putInt(recSize).putInt(stringOffset).putInt(2);
        int[][] records = {{0, 34}, {64, 36}};
        for (int[] r : records) {
            int start = b.position();
            b.putInt(r[0]).putInt(r[1]);
            b.position(start + Math.max(recSize, 8));
        }
        assertTrue(stringOffset < text);
        return b.array();
    }

    private int offsetOf(String s) {
        byte[] strings = stringSection(btf);
        byte[] wanted = (s + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + wanted.length <= strings.length; i++) {
            for (int j = 0; j < wanted.length; j++) {
                if (strings[i + j] != wanted[j]) {
                    continue outer;
                }
            }
            if (i == 0 || strings[i - 1] == 0) {
                return i;
            }
        }
        throw new AssertionError(s + " not in the BTF strings");
    }

    /** The string section of {@code btf} as it writes it: the header's str_off and str_len past its hdr_len. */
    private static byte[] stringSection(Btf btf) {
        java.nio.ByteBuffer raw = java.nio.ByteBuffer.wrap(btf.toBytes()).order(java.nio.ByteOrder.nativeOrder());
        int start = raw.getInt(4) + raw.getInt(16);
        return java.util.Arrays.copyOfRange(raw.array(), start, start + raw.getInt(20));
    }
}
