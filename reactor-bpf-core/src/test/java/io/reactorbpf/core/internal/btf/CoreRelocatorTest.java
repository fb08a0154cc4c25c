package io.reactorbpf.core.internal.btf;

import io.reactorbpf.core.btf.CoreObject;
import io.reactorbpf.core.btf.CoreRelocationException;
import io.reactorbpf.core.btf.BtfKind;
import io.reactorbpf.core.asm.Instruction;
import io.reactorbpf.core.asm.Opcode;
import io.reactorbpf.core.asm.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.reactorbpf.core.btf.CoreObject.LOCAL_PROGRAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * core_local.bpf.o relocated against the BTF of core_target.bpf.o, which lays the same types out differently.
 * Expected target values follow from core_target.bpf.c's layout (BPF target: long long and pointers 8 bytes).
 */
class CoreRelocatorTest {

    private final CoreObject local = CoreObject.local();
    private final CoreObject target = CoreObject.target();
    private final byte[] insns = local.section(LOCAL_PROGRAM);
    private final List<CoreResult> results =
            new CoreRelocator(target.btf()).apply(local.btf(), LOCAL_PROGRAM, insns, local.relos(LOCAL_PROGRAM));

    @ParameterizedTest(name = "{0} {1} at {2} moves to {3}")
    @CsvSource({
            "core_sample, 0:0, 0, 20",
            "core_sample, 0:1, 4, 16",
            "core_sample, 0:2:1, 16, 64",
            "core_sample, 0:3:3, 36, 44",
            "core_sample, 0:4:1:2, 42, 30",
            "core_sample, 0:8, 48, 84",
            "core_sample, 0:11, 72, 8",
            "core_sample___flavor, 0:0, 0, 20"})
    void fieldByteOffsetsFollowTheTargetLayout(String struct, String access, long localOffset, long targetOffset) {
        for (CoreResult r : find(CoreReloKind.FIELD_BYTE_OFFSET, struct, access)) {
            assertFalse(r.poisoned(), r.description());
            assertEquals(localOffset, r.localValue(), r.description());
            assertEquals(targetOffset, r.targetValue(), r.description());
        }
    }

    @Test
    void everyPatchedInstructionCarriesItsTargetValue() {
        for (CoreResult r : results) {
            if (r.poisoned()) {
                continue;
            }
            Instruction insn = Instruction.decode(insns, r.insnIndex() * Instruction.SLOT_SIZE);
            long carried = switch (Opcode.instructionClass(insn.opcode())) {
                case Opcode.LDX, Opcode.ST, Opcode.STX -> insn.off();
                case Opcode.LD -> insn.imm64();
                default -> insn.imm();
            };
            assertEquals(r.targetValue(), carried, r.description() + " at " + insn);
        }
    }

    @Test
    void everyRelocationOfTheObjectHasAResultInOrder() {
        List<BtfExt.CoreRelo> relos = local.relos(LOCAL_PROGRAM);
        assertEquals(relos.size(), results.size());
        for (int i = 0; i < relos.size(); i++) {
            assertEquals(relos.get(i), results.get(i).relo());
            assertEquals(relos.get(i).insnOffset() / 8, results.get(i).insnIndex());
            assertEquals(LOCAL_PROGRAM, results.get(i).section());
        }
    }

    @Test
    void unsignedLoadOfAWidenedFieldWidensItsAccessSize() {
        CoreResult flags = only(CoreReloKind.FIELD_BYTE_OFFSET, "core_sample", "0:1");
        Instruction insn = Instruction.decode(insns, flags.insnIndex() * 8);
        assertEquals(Opcode.LDX, Opcode.instructionClass(insn.opcode()));
        assertEquals(Opcode.MEM, Opcode.mode(insn.opcode()));
        assertEquals(Size.W, Size.of(insn.opcode()));
        assertEquals(16, insn.off());
    }

    @Test
    void signedFieldWhoseSizeChangesPoisonsItsLoad() {
        CoreResult level = only(CoreReloKind.FIELD_BYTE_OFFSET, "core_sample", "0:10");
        assertTrue(level.poisoned());
        assertPoisoned(level.insnIndex());
        assertTrue(level.description().contains("from 2 to 4 bytes"), level.description());
    }

    @Test
    void fieldTheTargetLacksPoisonsItsLoad() {
        CoreResult removed = only(CoreReloKind.FIELD_BYTE_OFFSET, "core_sample", "0:9");
        assertTrue(removed.poisoned());
        assertEquals(56, removed.localValue());
        assertEquals(0, removed.targetValue());
        assertPoisoned(removed.insnIndex());
        assertEquals("FIELD_BYTE_OFFSET struct core_sample.removed (0:9) not found in the target BTF: "
                + "instruction poisoned", removed.description());
    }

    @Test
    void enumeratorTheTargetRenamedPoisonsBothSlotsOfItsLoad() {
        CoreResult retired = only(CoreReloKind.ENUMVAL_VALUE, "core_state", "2");
        assertTrue(retired.poisoned());
        assertPoisoned(retired.insnIndex());
        assertPoisoned(retired.insnIndex() + 1);
    }

    @Test
    void existsKindsGiveZeroForWhatTheTargetLacks() {
        List<CoreResult> absent = List.of(
                only(CoreReloKind.FIELD_EXISTS, "core_sample", "0:9"),
                only(CoreReloKind.FIELD_EXISTS, "core_sample___flavor", "0:1"),
                only(CoreReloKind.TYPE_EXISTS, "core_absent", "0"),
                only(CoreReloKind.ENUMVAL_EXISTS, "core_state", "2"));
        for (CoreResult r : absent) {
            assertFalse(r.poisoned(), r.description());
            assertEquals(1, r.localValue(), r.description());
            assertEquals(0, r.targetValue(), r.description());
        }
    }

    @Test
    void typeExistsGivesOneForATypeTheTargetHas() {
        assertEquals(1, only(CoreReloKind.TYPE_EXISTS, "core_sample", "0").targetValue());
    }

    @Test
    void bitfieldWithinOneWordIsReadWithAFourByteLoad() {
        assertBitfield("0:6", 80, 4, 44, 52, 1);
        assertBitfield("0:7", 80, 4, 34, 54, 0);
    }

    private void assertBitfield(String access, long offset, long size, long lshift, long rshift, long signed) {
        assertEquals(offset, only(CoreReloKind.FIELD_BYTE_OFFSET, "core_sample", access).targetValue());
        assertEquals(size, only(CoreReloKind.FIELD_BYTE_SIZE, "core_sample", access).targetValue());
        assertEquals(lshift, only(CoreReloKind.FIELD_LSHIFT_U64, "core_sample", access).targetValue());
        assertEquals(signed, only(CoreReloKind.FIELD_SIGNED, "core_sample", access).targetValue());
        for (CoreResult r : find(CoreReloKind.FIELD_RSHIFT_U64, "core_sample", access)) {
            assertEquals(rshift, r.targetValue());
        }
    }

    @Test
    void fieldByteSizeIsTheTargets() {
        CoreResult flags = only(CoreReloKind.FIELD_BYTE_SIZE, "core_sample", "0:1");
        assertEquals(2, flags.localValue());
        assertEquals(4, flags.targetValue());
    }

    @Test
    void typeSizeIsTheTargets() {
        CoreResult size = only(CoreReloKind.TYPE_SIZE, "core_sample", "0");
        assertEquals(80, size.localValue());
        assertEquals(96, size.targetValue());
    }

    @Test
    void typeIdsAreTheLocalAndTheTargetOnes() {
        assertEquals(local.typeId("core_sample", BtfKind.STRUCT),
                only(CoreReloKind.TYPE_ID_LOCAL, "core_sample", "0").targetValue());
        assertEquals(target.typeId("core_sample", BtfKind.STRUCT),
                only(CoreReloKind.TYPE_ID_TARGET, "core_sample", "0").targetValue());
    }

    @Test
    void enumValueIsTheTargets() {
        CoreResult running = only(CoreReloKind.ENUMVAL_VALUE, "core_state", "1");
        assertEquals(1, running.localValue());
        assertEquals(5, running.targetValue());
        assertEquals("ENUMVAL_VALUE enum core_state::CORE_RUNNING -> 5", running.description());
    }

    @Test
    void descriptionNamesKindPathAccessAndValue() {
        assertEquals("FIELD_BYTE_OFFSET struct core_sample.inner.b (0:2:1) -> 64",
                only(CoreReloKind.FIELD_BYTE_OFFSET, "core_sample", "0:2:1").description());
        assertEquals("FIELD_BYTE_OFFSET struct core_sample.values[3] (0:3:3) -> 44",
                only(CoreReloKind.FIELD_BYTE_OFFSET, "core_sample", "0:3:3").description());
    }

    @Test
    void relocatingTwiceFailsBecauseTheInstructionNoLongerHoldsTheLocalValue() {
        List<BtfExt.CoreRelo> first = List.of(local.relos(LOCAL_PROGRAM).get(0));
        CoreRelocator relocator = new CoreRelocator(target.btf());
        CoreRelocationException e = assertThrows(CoreRelocationException.class,
                () -> relocator.apply(local.btf(), LOCAL_PROGRAM, insns, first));
        assertTrue(e.getMessage().contains("section 'raw_tp/sys_enter'"), e.getMessage());
        assertTrue(e.getMessage().contains("insn 1, FIELD_BYTE_OFFSET on [" + local.typeId("core_sample", BtfKind.STRUCT)
                + "] struct core_sample access 0:0"), e.getMessage());
        assertTrue(e.getMessage().contains("holds offset 20, but the local BTF gives 0"), e.getMessage());
    }

    private void assertPoisoned(int index) {
        assertEquals(Instruction.of(Opcode.JMP | Opcode.CALL, 0, 0, 0, CoreRelocator.POISON_IMM),
                Instruction.decode(insns, index * Instruction.SLOT_SIZE));
    }

    private List<CoreResult> find(CoreReloKind kind, String type, String access) {
        List<CoreResult> found = results.stream()
                .filter(r -> r.relo().kind() == kind && r.relo().accessString().equals(access)
                        && local.btf().type(r.relo().typeId()).name().equals(type))
                .toList();
        assertFalse(found.isEmpty(), "no " + kind + " relocation on " + type + " " + access);
        return found;
    }

    private CoreResult only(CoreReloKind kind, String type, String access) {
        List<CoreResult> found = find(kind, type, access);
        assertEquals(1, found.size(), kind + " " + type + " " + access);
        return found.get(0);
    }
}
