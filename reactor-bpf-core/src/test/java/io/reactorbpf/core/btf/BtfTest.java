package io.reactorbpf.core.btf;

import io.reactorbpf.core.btf.BtfType.Member;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BtfTest {

    private final Btf btf = ShapesObject.btf();

    @Test
    void anIntegerOfANegativeSizeIsRefusedAsTheKernelRefusesIt() {
        byte[] blob = Btf.of(List.of(new BtfType.Int("unsigned long long", -248, 0, 255, 255))).toBytes();
        BtfFormatException e = assertThrows(BtfFormatException.class, () -> Btf.parse(blob));
        assertTrue(e.getMessage().contains("BTF type [1]") && e.getMessage().contains("-248"), e.getMessage());
    }

    @Test
    void anIntegerWhoseBitsDoNotFitItsSizeIsRefused() {
        byte[] blob = Btf.of(List.of(new BtfType.Int("int", 4, 1, 8, 32))).toBytes();
        BtfFormatException e = assertThrows(BtfFormatException.class, () -> Btf.parse(blob));
        assertTrue(e.getMessage().contains("bits"), e.getMessage());
    }

    @Test
    void anEnumOfASizeThatIsNoPowerOfTwoUpToEightIsRefused() {
        byte[] blob = Btf.of(List.of(new BtfType.Enum("mode", -9, false,
                List.of(new BtfType.Enumerator("A", 0))))).toBytes();
        BtfFormatException e = assertThrows(BtfFormatException.class, () -> Btf.parse(blob));
        assertTrue(e.getMessage().contains("ENUM 'mode'") && e.getMessage().contains("-9"), e.getMessage());
    }

    @Test
    void aFloatOfASizeNoFloatHasIsRefused() {
        byte[] blob = Btf.of(List.of(new BtfType.Float("double", 3))).toBytes();
        BtfFormatException e = assertThrows(BtfFormatException.class, () -> Btf.parse(blob));
        assertTrue(e.getMessage().contains("FLOAT 'double'") && e.getMessage().contains("size 3"), e.getMessage());
    }

    @Test
    void everyIntegerSizeTheKernelKnowsIsRead() {
        for (int size : new int[] {1, 2, 4, 8, 16}) {
            Btf btf = Btf.parse(Btf.of(List.of(new BtfType.Int("i" + size, size, 0, 0, size * 8))).toBytes());
            assertEquals(size, btf.resolveSize(1));
        }
    }

    @Test
    void objectBtfHasItsTypesNumberedFromOne() {
        assertEquals(1, btf.firstTypeId());
        assertEquals(49, btf.typeCount());
        assertEquals(49, btf.types().size());
        assertEquals(BtfType.Void.INSTANCE, btf.type(0));
        assertTrue(btf.base().isEmpty());
    }

    @Test
    void structMembersHaveTheirExactBitOffsets() {
        assertEquals(new BtfType.Struct("shape", 64, false, List.of(
                new Member("id", 13, 0, 0),
                new Member("name", 16, 64, 0),
                new Member("tag", 17, 192, 0),
                new Member("flags", 20, 224, 0),
                new Member("color", 21, 256, 0),
                new Member("ratio", 22, 320, 0),
                new Member("limit", 23, 384, 0),
                new Member("label", 27, 448, 0))), btf.type(11));
    }

    @Test
    void bitfieldsCarryTheirSizesWhenKindFlagIsSet() {
        assertEquals(new BtfType.Struct("flags", 4, true, List.of(
                new Member("low", 9, 0, 3),
                new Member("mid", 9, 3, 7),
                new Member("high", 9, 10, 22))), btf.type(20));
    }

    @Test
    void unionMembersAllStartAtZero() {
        assertEquals(new BtfType.Union("word", 4, false, List.of(
                new Member("as_int", 8, 0, 0),
                new Member("bytes", 19, 0, 0))), btf.type(17));
    }

    @Test
    void unsignedEnumKeepsNegativeInitializerAsUnsigned() {
        assertEquals(new BtfType.Enum("color", 4, false, List.of(
                new BtfType.Enumerator("RED", 0),
                new BtfType.Enumerator("GREEN", 5),
                new BtfType.Enumerator("BLUE", 4294967295L))), btf.type(21));
    }

    @Test
    void scalarsArraysAndQualifiersDecode() {
        assertEquals(new BtfType.Int("int", 4, BtfType.Int.SIGNED, 0, 32), btf.type(2));
        assertTrue(((BtfType.Int) btf.type(15)).isSigned());
        assertEquals(new BtfType.Array("", 15, 4, 16), btf.type(16));
        assertEquals(new BtfType.Float("double", 8), btf.type(22));
        assertEquals(new BtfType.Ptr("", 24), btf.type(23));
        assertEquals(new BtfType.Const("", 25), btf.type(24));
        assertEquals(new BtfType.Volatile("", 2), btf.type(25));
        assertEquals(new BtfType.Typedef("u64", 14), btf.type(13));
    }

    @Test
    void tagsDecode() {
        assertEquals(new BtfType.DeclTag("shapes", 11, -1, false), btf.type(12));
        assertEquals(new BtfType.TypeTag("user", 15, false), btf.type(26));
    }

    @Test
    void functionsHaveLinkageAndPrototypes() {
        assertEquals(new BtfType.Func("observe", 33, BtfLinkage.GLOBAL), btf.type(34));
        assertEquals(new BtfType.Func("weigh", 35, BtfLinkage.STATIC), btf.type(36));
        assertEquals(new BtfType.FuncProto("", 2, List.of(new BtfType.Param("task", 30))), btf.type(33));
    }

    @Test
    void variablesAndDataSectionsAsClangLeavesThem() {
        assertEquals(new BtfType.Var("filter_pid", 37, BtfLinkage.GLOBAL), btf.type(39));
        assertEquals(new BtfType.Var("calls", 13, BtfLinkage.STATIC), btf.type(42));
        assertEquals(new BtfType.Datasec(".bss", 0, List.of(
                new BtfType.VarSecinfo(41, 0, 8),
                new BtfType.VarSecinfo(42, 8, 8))), btf.type(45));
        assertEquals(new BtfType.Datasec(".maps", 0, List.of(new BtfType.VarSecinfo(29, 0, 32))), btf.type(47));
    }

    @Test
    void namesLookUpByKind() {
        assertEquals(11, btf.findByName("shape", BtfKind.STRUCT).orElseThrow());
        assertEquals(45, btf.findByName(".bss", BtfKind.DATASEC).orElseThrow());
        assertFalse(btf.findByName("shape", BtfKind.UNION).isPresent());
        assertArrayEquals(new int[] {15}, btf.idsByName("char"));
        assertArrayEquals(new int[0], btf.idsByName("no_such_type"));
    }

    @Test
    void sizesResolveThroughTypedefsQualifiersArraysAndVars() {
        assertEquals(64, btf.resolveSize(11));
        assertEquals(16, btf.resolveSize(16));
        assertEquals(8, btf.resolveSize(13));
        assertEquals(8, btf.resolveSize(10));
        assertEquals(4, btf.resolveSize(37));
        assertEquals(4, btf.resolveSize(39));
        assertEquals(256, btf.resolveSize(6));
    }

    @Test
    void unsizedTypesSayWhichTypeHasNoSize() {
        BtfFormatException e = assertThrows(BtfFormatException.class, () -> btf.resolveSize(34));
        assertTrue(e.getMessage().contains("[34]") && e.getMessage().contains("func observe"), e.getMessage());
        assertThrows(BtfFormatException.class, () -> btf.resolveSize(0));
    }

    @Test
    void modifiersAndTypedefsAreSkippedToTheUnderlyingType() {
        assertEquals(9, btf.skipModsAndTypedefs(37));
        assertEquals(15, btf.skipModsAndTypedefs(26));
        assertEquals(11, btf.skipModsAndTypedefs(11));
        assertEquals(0, btf.skipModsAndTypedefs(0));
    }

    @Test
    void typesDescribeThemselvesLikeC() {
        assertEquals("void", btf.describe(0));
        assertEquals("int", btf.describe(2));
        assertEquals("struct shape", btf.describe(11));
        assertEquals("union word", btf.describe(17));
        assertEquals("enum color", btf.describe(21));
        assertEquals("char[16]", btf.describe(16));
        assertEquals("const volatile int *", btf.describe(23));
        assertEquals("int (*)(struct task_like *)", btf.describe(33));
        assertEquals("struct (anon)", btf.describe(32));
        assertEquals("datasec .rodata", btf.describe(48));
    }

    @Test
    void unknownTypeIdIsAFormatError() {
        BtfFormatException e = assertThrows(BtfFormatException.class, () -> btf.type(50));
        assertTrue(e.getMessage().contains("50"), e.getMessage());
    }

    @Test
    void writingAnUnmodifiedObjectBtfGivesBackTheSameBytes() {
        byte[] original = ShapesObject.section(".BTF");
        assertArrayEquals(original, btf.toBytes());
        assertEquals(btf, Btf.parse(btf.toBytes()));
    }

    @Test
    void datasecFixedUpByTheLoaderSurvivesAWriteAndRead() {
        BtfType.Datasec fixed = new BtfType.Datasec(".bss", 16, List.of(
                new BtfType.VarSecinfo(41, 0, 8),
                new BtfType.VarSecinfo(42, 8, 8)));
        Btf edited = btf.replace(45, fixed);
        assertEquals(fixed, edited.type(45));
        assertEquals(new BtfType.Datasec(".bss", 0, fixed.vars()), btf.type(45));
        Btf reread = Btf.parse(edited.toBytes());
        assertEquals(edited, reread);
        assertEquals(16, reread.resolveSize(45));
    }

    @Test
    void addedTypesGetTheNextIdAndNewNamesAreAppendedToTheStrings() {
        Btf grown = btf.add(new BtfType.Int("new_name", 2, 0, 0, 16));
        assertEquals(50, grown.typeCount());
        Btf reread = Btf.parse(grown.toBytes());
        assertEquals(grown, reread);
        assertEquals(50, reread.findByName("new_name", BtfKind.INT).orElseThrow());
        assertEquals("shape", reread.type(11).name());
    }

    @Test
    void editsThatReferToMissingTypesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> btf.add(new BtfType.Ptr("", 51)));
        assertThrows(IllegalArgumentException.class, () -> btf.replace(0, new BtfType.Ptr("", 1)));
    }

    @Test
    void typesBuiltInMemoryWriteAndReadBack() {
        Btf built = Btf.of(List.of(
                new BtfType.Int("long", 8, BtfType.Int.SIGNED, 0, 64),
                new BtfType.Enum64("big", 8, true, List.of(new BtfType.Enumerator("MIN", Long.MIN_VALUE),
                        new BtfType.Enumerator("MAX", Long.MAX_VALUE))),
                new BtfType.Enum("small", 4, true, List.of(new BtfType.Enumerator("NEG", -1))),
                new BtfType.Fwd("later", true),
                new BtfType.Restrict("", 1),
                new BtfType.FuncProto("", 1, List.of(new BtfType.Param("a", 1), new BtfType.Param("", 0))),
                new BtfType.Func("extern_fn", 6, BtfLinkage.EXTERN),
                new BtfType.DeclTag("attr", 7, 0, true),
                new BtfType.TypeTag("rcu", 1, true)));
        assertEquals(built, Btf.parse(built.toBytes()));
        assertEquals("union later", built.describe(4));
        assertEquals("long (*)(long, ...)", built.describe(6));
    }

    @Test
    void referenceLoopsAreReportedNotFollowedForever() {
        Btf looping = Btf.of(List.of(new BtfType.Typedef("a", 2), new BtfType.Typedef("b", 1)));
        assertTrue(assertThrows(BtfFormatException.class, () -> looping.skipModsAndTypedefs(1))
                .getMessage().contains("loops"));
        assertThrows(BtfFormatException.class, () -> looping.resolveSize(1));
        assertTrue(looping.describe(1).length() < 200);
    }

    @Test
    void headerProblemsNameTheField() {
        byte[] blob = ShapesObject.section(".BTF");
        byte[] badMagic = blob.clone();
        badMagic[0] = 0;
        assertTrue(message(badMagic).contains("magic"));
        byte[] badVersion = blob.clone();
        badVersion[2] = 2;
        assertTrue(message(badVersion).contains("version 2"));
        byte[] typesPastEnd = blob.clone();
        ByteBuffer.wrap(typesPastEnd).order(ByteOrder.LITTLE_ENDIAN).putInt(12, blob.length);
        assertTrue(message(typesPastEnd).contains("type section"));
        assertTrue(message(new byte[5]).contains("header"));
    }

    @Test
    void unknownKindNamesTheTypeId() {
        byte[] blob = ShapesObject.section(".BTF");
        int info = 24 + 4;
        blob[info + 3] = 31;
        BtfFormatException e = assertThrows(BtfFormatException.class, () -> Btf.parse(blob));
        assertTrue(e.getMessage().contains("[1]") && e.getMessage().contains("unknown kind 31"), e.getMessage());
    }

    @Test
    void danglingTypeReferenceIsRejectedAtParse() {
        byte[] blob = ShapesObject.section(".BTF");
        ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN).putInt(24 + 8, 4000);
        BtfFormatException e = assertThrows(BtfFormatException.class, () -> Btf.parse(blob));
        assertTrue(e.getMessage().contains("[1]") && e.getMessage().contains("4000"), e.getMessage());
    }

    @Test
    void splitBtfContinuesTheBaseIdsAndStrings() {
        byte[] baseStrings = btf.strings().bytes();
        Btf split = Btf.parseSplit(splitBlob(baseStrings.length), btf);
        assertEquals(50, split.firstTypeId());
        assertEquals(51, split.typeCount());
        assertEquals(new BtfType.Ptr("", 11), split.type(50));
        assertEquals(new BtfType.Typedef("shape_ptr", 50), split.type(51));
        assertEquals(btf.type(11), split.type(11));
        assertEquals("struct shape *", split.describe(50));
        assertEquals("shape_ptr", split.describe(51));
        assertArrayEquals(new int[] {11}, split.idsByName("shape"));
        assertEquals(split, Btf.parseSplit(split.toBytes(), btf));
    }

    @Test
    void missingKernelBtfExplainsTheKernelOption() {
        BtfFormatException e = assertThrows(BtfFormatException.class,
                () -> Btf.kernel(java.nio.file.Path.of("/nonexistent/btf/vmlinux")));
        assertTrue(e.getMessage().contains("CONFIG_DEBUG_INFO_BTF"), e.getMessage());
    }

    @Test
    void aNameThatIsNotUtf8IsRefusedNamingItsBytesNotReplaced() {
        String m = message(typedefNamed(new byte[] {'m', 'a', 'p', (byte) 0xff, 0}));
        assertTrue(m.endsWith("is not valid UTF-8 (bytes 6d6170ff)"), m);
        assertEquals("caf\u00e9", Btf.parse(typedefNamed("caf\u00e9\0".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .type(1).name(), "valid UTF-8 is kept");
    }

    /** One TYPEDEF (of void) whose name is {@code name}, the string section being a NUL and then {@code name}. */
    private static byte[] typedefNamed(byte[] name) {
        ByteBuffer b = ByteBuffer.allocate(24 + 12 + 1 + name.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0).putInt(24).putInt(0).putInt(12).putInt(12)
                .putInt(1 + name.length);
        b.putInt(1).putInt(BtfKind.TYPEDEF.number() << 24).putInt(0);
        b.put((byte) 0).put(name);
        return b.array();
    }

    /** Split BTF with a PTR to base type 11 and a TYPEDEF "shape_ptr" whose name sits in the split's own strings. */
    private static byte[] splitBlob(int baseStringsLength) {
        byte[] name = "shape_ptr\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(24 + 24 + name.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0).putInt(24).putInt(0).putInt(24).putInt(24).putInt(name.length);
        b.putInt(0).putInt(BtfKind.PTR.number() << 24).putInt(11);
        b.putInt(baseStringsLength).putInt(BtfKind.TYPEDEF.number() << 24).putInt(50);
        b.put(name);
        return b.array();
    }

    private static String message(byte[] blob) {
        return assertThrows(BtfFormatException.class, () -> Btf.parse(blob)).getMessage();
    }
}
