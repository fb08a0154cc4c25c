package io.reactorbpf.core.btf;

import io.reactorbpf.core.internal.btf.BtfExt;
import io.reactorbpf.core.BpfException;
import io.reactorbpf.core.internal.elf.ElfFile;
import io.reactorbpf.core.internal.elf.ElfSection;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Damaged objects, BTF and .BTF.ext blobs: the readers either parse them or raise a BpfException subclass,
 * never another exception, a hang or an allocation the input's size does not justify.
 */
class MalformedInputPropertiesTest {

    private static final byte[] OBJECT = ShapesObject.bytes();
    private static final byte[] BTF = ShapesObject.section(".BTF");
    private static final byte[] EXT = ShapesObject.section(".BTF.ext");
    private static final Btf PARSED = Btf.parse(BTF);

    /** A damage: at offset (scaled to the input) write value, either one byte or a little-endian int. */
    record Damage(double where, int value, boolean wholeInt) {
        void apply(byte[] bytes) {
            int at = (int) (where * bytes.length);
            if (wholeInt && at + 4 <= bytes.length) {
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
            } else if (at < bytes.length) {
                bytes[at] = (byte) value;
            }
        }
    }

    @Provide
    Arbitrary<List<Damage>> damages() {
        Arbitrary<Integer> values = Arbitraries.oneOf(Arbitraries.integers(),
                Arbitraries.of(0, 1, -1, 0xff, 0xffff, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7ffffff0));
        return Combinators.combine(Arbitraries.doubles().between(0, 1), values, Arbitraries.of(true, false))
                .as(Damage::new).list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 1000)
    void damagedObjectsOnlyRaiseBpfExceptions(@ForAll("damages") List<Damage> damages) {
        byte[] bytes = OBJECT.clone();
        damages.forEach(d -> d.apply(bytes));
        readEverything(bytes);
    }

    @Property(tries = 200)
    void truncatedObjectsOnlyRaiseBpfExceptions(@ForAll @IntRange(min = 0, max = 10_000) int length) {
        byte[] bytes = java.util.Arrays.copyOf(OBJECT, Math.min(length, OBJECT.length));
        readEverything(bytes);
    }

    @Property(tries = 200)
    void randomBytesOnlyRaiseBpfExceptions(@ForAll @Size(max = 512) byte[] bytes) {
        readEverything(bytes);
        byte[] withElfHeader = ByteBuffer.allocate(Math.max(64, bytes.length)).put(0, bytes).array();
        System.arraycopy(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1}, 0, withElfHeader, 0, 7);
        readEverything(withElfHeader);
        expectOnlyBpfExceptions(() -> Btf.parse(bytes));
        expectOnlyBpfExceptions(() -> BtfExt.parse(bytes, PARSED));
    }

    @Property(tries = 2000)
    void damagedBtfOnlyRaisesBpfExceptions(@ForAll("damages") List<Damage> damages) {
        byte[] bytes = BTF.clone();
        damages.forEach(d -> d.apply(bytes));
        expectOnlyBpfExceptions(() -> exercise(Btf.parse(bytes)));
    }

    @Property(tries = 2000)
    void damagedBtfExtOnlyRaisesBpfExceptions(@ForAll("damages") List<Damage> damages) {
        byte[] bytes = EXT.clone();
        damages.forEach(d -> d.apply(bytes));
        expectOnlyBpfExceptions(() -> exerciseExt(BtfExt.parse(bytes, PARSED)));
    }

    @Property(tries = 200)
    void truncatedBtfAndExtOnlyRaiseBpfExceptions(@ForAll @IntRange(min = 0, max = 2_000) int length) {
        expectOnlyBpfExceptions(() -> exercise(Btf.parse(java.util.Arrays.copyOf(BTF, Math.min(length, BTF.length)))));
        expectOnlyBpfExceptions(() -> BtfExt.parse(java.util.Arrays.copyOf(EXT, Math.min(length, EXT.length)), PARSED));
    }

    private static void readEverything(byte[] object) {
        expectOnlyBpfExceptions(() -> {
            ElfFile elf = ElfFile.parse(object);
            for (ElfSection s : elf.sections()) {
                s.data().remaining();
            }
            elf.relocations().forEach(r -> r.entries().forEach(e -> elf.symbol(e.symbolIndex())));
            elf.section(".BTF").ifPresent(btfSection -> {
                Btf btf = Btf.parse(btfSection.data());
                exercise(btf);
                elf.section(".BTF.ext").ifPresent(ext -> exerciseExt(BtfExt.parse(ext.data(), btf)));
            });
        });
    }

    /** Uses every query on every type, so a damaged but parsable BTF cannot break them either. */
    private static void exercise(Btf btf) {
        for (int id = 0; id <= btf.typeCount(); id++) {
            btf.describe(id);
            btf.skipModsAndTypedefs(id);
            try {
                btf.resolveSize(id);
            } catch (BtfFormatException unsized) {
                // types without a size, or with a looping chain, are reported this way
            }
            btf.idsByName(btf.type(id).name());
        }
        Btf.parse(btf.toBytes());
    }

    private static void exerciseExt(BtfExt ext) {
        ext.coreRelos().values().forEach(list -> list.forEach(BtfExt.CoreRelo::accessIndices));
    }

    private static void expectOnlyBpfExceptions(Runnable read) {
        try {
            read.run();
        } catch (BpfException expected) {
            if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                throw new AssertionError("exception without a message", expected);
            }
        }
    }
}
