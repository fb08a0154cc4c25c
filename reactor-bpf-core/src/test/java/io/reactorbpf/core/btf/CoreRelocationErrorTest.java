package io.reactorbpf.core.btf;

import io.reactorbpf.core.internal.btf.CoreReloKind;
import io.reactorbpf.core.internal.btf.CoreRelocator;
import io.reactorbpf.core.internal.btf.BtfExt;
import io.reactorbpf.core.asm.Instruction;
import io.reactorbpf.core.asm.Opcode;
import io.reactorbpf.core.btf.BtfType.Member;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.reactorbpf.core.btf.CoreObject.LOCAL_PROGRAM;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed relocations: each is rejected with a message naming what is wrong and where. */
class CoreRelocationErrorTest {

    private final CoreObject local = CoreObject.local();
    private final int sample = local.typeId("core_sample", BtfKind.STRUCT);
    private final CoreRelocator relocator = new CoreRelocator(CoreObject.target().btf());

    private static byte[] ldxW() {
        return Instruction.of(Opcode.LDX | Opcode.MEM | Opcode.W, 0, 1, 0, 0).encode();
    }

    private String rejected(byte[] insns, BtfExt.CoreRelo relo) {
        CoreRelocationException e = assertThrows(CoreRelocationException.class,
                () -> relocator.apply(local.btf(), "kprobe/x", insns, List.of(relo)));
        assertTrue(e.getMessage().startsWith("section 'kprobe/x' CO-RE relocation #0 at insn "), e.getMessage());
        assertTrue(e.getMessage().contains(relo.kind().name()), e.getMessage());
        return e.getMessage();
    }

    private BtfExt.CoreRelo field(int insnOffset, String access, CoreReloKind kind) {
        return new BtfExt.CoreRelo(insnOffset, sample, 0, access, kind);
    }

    @Test
    void accessStringThatIsNotIndicesIsRejected() {
        String message = rejected(ldxW(), field(0, "0:x", CoreReloKind.FIELD_BYTE_OFFSET));
        assertTrue(message.contains("access string \"0:x\" is not colon-separated indices"), message);
    }

    @Test
    void typeRelocationWithAFieldPathIsRejected() {
        String message = rejected(ldxW(), field(0, "0:1", CoreReloKind.TYPE_SIZE));
        assertTrue(message.contains("must be \"0\""), message);
    }

    @Test
    void memberIndexPastTheStructIsRejected() {
        String message = rejected(ldxW(), field(0, "0:99", CoreReloKind.FIELD_BYTE_OFFSET));
        assertTrue(message.contains("index 99 at position 1 of access string 0:99 is past the 12 members of struct core_sample"), message);
    }

    @Test
    void arrayIndexPastTheArrayIsRejected() {
        String message = rejected(ldxW(), field(0, "0:3:4", CoreReloKind.FIELD_BYTE_OFFSET));
        assertTrue(message.contains("past the end of int[4]"), message);
    }

    @Test
    void instructionOffsetOutsideTheSectionIsRejected() {
        String message = rejected(ldxW(), field(8, "0:0", CoreReloKind.FIELD_BYTE_OFFSET));
        assertTrue(message.contains("instruction byte offset 8 is not the start of one of the 1 instructions"), message);
    }

    @Test
    void instructionOffsetInsideAnInstructionIsRejected() {
        String message = rejected(ldxW(), field(4, "0:0", CoreReloKind.FIELD_BYTE_OFFSET));
        assertTrue(message.contains("instruction byte offset 4"), message);
    }

    @Test
    void typeIdOutsideTheLocalBtfIsRejected() {
        BtfExt.CoreRelo relo = new BtfExt.CoreRelo(0, 100_000, 0, "0", CoreReloKind.TYPE_EXISTS);
        String message = rejected(ldxW(), relo);
        assertTrue(message.contains("type id 100000 does not exist in the local BTF"), message);
    }

    @Test
    void jumpInstructionCannotBePatched() {
        byte[] exit = Instruction.of(Opcode.JMP | Opcode.EXIT, 0, 0, 0, 0).encode();
        String message = rejected(exit, field(0, "0:0", CoreReloKind.FIELD_BYTE_OFFSET));
        assertTrue(message.contains("instruction 0 (exit) is a jump"), message);
    }

    @Test
    void aluInstructionWithARegisterOperandCannotBePatched() {
        byte[] add = Instruction.of(Opcode.ALU64 | Opcode.ADD | Opcode.X, 1, 2, 0, 0).encode();
        String message = rejected(add, field(0, "0:0", CoreReloKind.FIELD_BYTE_OFFSET));
        assertTrue(message.contains("takes its operand from a register"), message);
    }

    @Test
    void targetOffsetBeyondTheSixteenBitFieldIsRejected() {
        BtfType.Int i = new BtfType.Int("int", 4, BtfType.Int.SIGNED, 0, 32);
        Btf far = Btf.of(List.of(i, new BtfType.Struct("core_sample", 40_004, false,
                List.of(new Member("id", 1, 40_000 * 8, 0)))));
        BtfExt.CoreRelo relo = field(0, "0:0", CoreReloKind.FIELD_BYTE_OFFSET);
        CoreRelocationException e = assertThrows(CoreRelocationException.class,
                () -> new CoreRelocator(far).apply(local.btf(), "kprobe/x", ldxW(), List.of(relo)));
        assertTrue(e.getMessage().contains("target offset 40000 does not fit the signed 16-bit offset field"), e.getMessage());
    }

    @Test
    void signednessOfAnArrayElementIsRejected() {
        String message = rejected(ldxW(), field(0, "0:3:3", CoreReloKind.FIELD_SIGNED));
        assertTrue(message.contains("FIELD_SIGNED cannot be applied to an array element"), message);
    }

    @Test
    void anonymousTypeCannotBeRelocated() {
        BtfType.Struct struct = (BtfType.Struct) local.btf().type(sample);
        int anonymousUnion = struct.members().get(4).type();
        BtfExt.CoreRelo relo = new BtfExt.CoreRelo(0, anonymousUnion, 0, "0:0", CoreReloKind.FIELD_BYTE_OFFSET);
        String message = rejected(ldxW(), relo);
        assertTrue(message.contains("anonymous"), message);
    }

    @Test
    void incompleteRecordIsRejected() {
        BtfExt.CoreRelo relo = new BtfExt.CoreRelo(0, sample, 0, null, CoreReloKind.FIELD_EXISTS);
        CoreRelocationException e = assertThrows(CoreRelocationException.class,
                () -> relocator.apply(local.btf(), "kprobe/x", ldxW(), List.of(relo)));
        assertTrue(e.getMessage().contains("incomplete record"), e.getMessage());
    }
}
