package io.reactorbpf.core.btf;

import io.reactorbpf.core.internal.btf.CoreResult;
import io.reactorbpf.core.internal.btf.CoreReloKind;
import io.reactorbpf.core.internal.btf.CoreRelocator;
import io.reactorbpf.core.internal.btf.BtfExt;
import io.reactorbpf.core.asm.Instruction;
import io.reactorbpf.core.asm.Opcode;
import io.reactorbpf.core.btf.BtfType.Member;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.reactorbpf.core.btf.CoreObject.LOCAL_PROGRAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which target types a local type relocates to: flavors, ambiguity, and TYPE_MATCHES. */
class CoreCandidateTest {

    private static final BtfType.Int INT = new BtfType.Int("int", 4, BtfType.Int.SIGNED, 0, 32);

    private final CoreObject local = CoreObject.local();

    /** The relocation of {@code s->id}: FIELD_BYTE_OFFSET 0:0 on struct core_sample, its load as compiled. */
    private BtfExt.CoreRelo idRelo() {
        return local.relos(LOCAL_PROGRAM).get(0);
    }

    private static BtfType.Struct sample(String name, int idBitOffset) {
        return new BtfType.Struct(name, idBitOffset / 8 + 4, false,
                List.of(new Member("pad", 1, 0, 0), new Member("id", 1, idBitOffset, 0)));
    }

    @Test
    void flavorsGivingDifferentOffsetsAreAmbiguous() {
        Btf target = Btf.of(List.of(INT, sample("core_sample___one", 32), sample("core_sample___two", 64)));
        byte[] insns = local.section(LOCAL_PROGRAM);
        CoreRelocationException e = assertThrows(CoreRelocationException.class, () -> new CoreRelocator(target)
                .apply(local.btf(), LOCAL_PROGRAM, insns, List.of(idRelo())));
        assertTrue(e.getMessage().contains("[2] struct core_sample___one"), e.getMessage());
        assertTrue(e.getMessage().contains("[3] struct core_sample___two"), e.getMessage());
        assertTrue(e.getMessage().contains("ambiguous"), e.getMessage());
    }

    @Test
    void flavorsGivingTheSameOffsetAgree() {
        Btf target = Btf.of(List.of(INT, sample("core_sample___one", 32), sample("core_sample", 32)));
        byte[] insns = local.section(LOCAL_PROGRAM);
        CoreResult r = new CoreRelocator(target).apply(local.btf(), LOCAL_PROGRAM, insns, List.of(idRelo())).get(0);
        assertFalse(r.poisoned());
        assertEquals(4, r.targetValue());
    }

    @Test
    void candidatesOfAnotherKindAreIgnored() {
        Btf target = Btf.of(List.of(INT, new BtfType.Union("core_sample", 4, false, List.of(new Member("id", 1, 0, 0))),
                sample("core_sample___v2", 96)));
        byte[] insns = local.section(LOCAL_PROGRAM);
        CoreResult r = new CoreRelocator(target).apply(local.btf(), LOCAL_PROGRAM, insns, List.of(idRelo())).get(0);
        assertEquals(12, r.targetValue());
    }

    @Test
    void typeMatchesWhenEveryLocalMemberHasAMatchingTargetMember() {
        assertEquals(1, typeMatches("core_inner", BtfKind.STRUCT));
    }

    @Test
    void typeDoesNotMatchWhenTheTargetLacksALocalMember() {
        assertEquals(0, typeMatches("core_sample", BtfKind.STRUCT));
    }

    @Test
    void enumDoesNotMatchWhenTheTargetLacksALocalEnumerator() {
        assertEquals(0, typeMatches("core_state", BtfKind.ENUM));
    }

    /** clang 14 cannot emit TYPE_MATCHES, so the record and its instruction ({@code r0 = 1}) are built here. */
    private long typeMatches(String name, BtfKind kind) {
        byte[] insns = Instruction.of(Opcode.ALU64 | Opcode.MOV | Opcode.K, 0, 0, 0, 1).encode();
        BtfExt.CoreRelo relo = new BtfExt.CoreRelo(0, local.typeId(name, kind), 0, "0", CoreReloKind.TYPE_MATCHES);
        CoreResult r = new CoreRelocator(CoreObject.target().btf()).apply(local.btf(), "test", insns, List.of(relo)).get(0);
        assertEquals(1, r.localValue());
        assertEquals(r.targetValue(), Instruction.decode(insns, 0).imm());
        return r.targetValue();
    }
}
