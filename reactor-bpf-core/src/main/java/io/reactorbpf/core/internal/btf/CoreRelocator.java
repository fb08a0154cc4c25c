package io.reactorbpf.core.internal.btf;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.CoreRelocationException;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.btf.BtfFormatException;
import io.reactorbpf.core.asm.AssemblyException;
import io.reactorbpf.core.asm.Instruction;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Applies CO-RE relocations (the .BTF.ext {@code core_relo} records) to a program's instructions against a
 * target BTF, usually the running kernel's, following libbpf's relo_core.c: the local type's access path is
 * matched against every target type with the same name (ignoring "___flavor" suffixes) and kind; the value
 * the relocation asks for is computed on both sides and written into the instruction after checking that it
 * holds the local value. A relocation the target cannot satisfy poisons its instruction (a call to the
 * invalid helper {@link #POISON_IMM}, which the verifier rejects only if the instruction is reachable), except
 * that the exists kinds, TYPE_SIZE and TYPE_ID_TARGET yield 0.
 *
 * <p>Where libbpf narrows a local type's candidates to those earlier relocations matched, this relocator
 * considers every candidate for every relocation.
 *
 * <p>Not thread-safe: one relocator per loading thread. It caches the target's candidates by name, so reuse
 * it for every section of an object (and across objects) with the same target. It does not own the BTF.
 */
public final class CoreRelocator {

    /** The imm of the {@code call} a poisoned instruction becomes: 0xbad2310, "bad relo", as libbpf writes it. */
    public static final int POISON_IMM = 0xbad2310;

    private final CoreCandidates candidates;

    /** A relocator against {@code target}, usually {@link Btf#vmlinux()}. */
    public CoreRelocator(Btf target) {
        this.candidates = new CoreCandidates(Objects.requireNonNull(target, "target"));
    }

    /**
     * Relocates the instructions of one ELF section in place (8 bytes per instruction, little-endian); each
     * relocation's insnOffset is a byte offset into {@code insns}. Returns one result per relocation, in order.
     * An unresolvable relocation poisons its instruction and does not throw. Throws
     * {@link CoreRelocationException} for malformed input: a bad access string or type id, an instruction
     * offset outside the section, an instruction of a kind the relocation cannot patch or not holding the
     * local value, or candidates that give different results. Instructions patched before the failing
     * relocation stay patched.
     *
     * @param local   the object's own BTF (its .BTF section), which the relocations' type ids refer to
     * @param section the section's name, for results and messages
     */
    public List<CoreResult> apply(Btf local, String section, byte[] insns, List<BtfExt.CoreRelo> relos) {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(insns, "insns");
        Objects.requireNonNull(relos, "relos");
        if (insns.length % Instruction.SLOT_SIZE != 0) {
            throw new CoreRelocationException("section '" + section + "': " + insns.length
                    + " bytes is not a whole number of 8-byte instructions");
        }
        List<CoreResult> results = new ArrayList<>(relos.size());
        for (int i = 0; i < relos.size(); i++) {
            results.add(applyOne(local, section, insns, relos.get(i), i));
        }
        return results;
    }

    private CoreResult applyOne(Btf local, String section, byte[] insns, BtfExt.CoreRelo relo, int number) {
        if (relo == null || relo.kind() == null || relo.accessString() == null) {
            throw new CoreRelocationException("section '" + section + "' CO-RE relocation #" + number
                    + ": incomplete record " + relo + " (kind and access string are required)");
        }
        int insnIndex = Math.floorDiv(relo.insnOffset(), Instruction.SLOT_SIZE);
        try {
            checkPlace(local, insns, relo);
            CoreSpec localSpec = CoreSpec.parse(local, relo.typeId(), relo.accessString(), relo.kind());
            CoreOutcome outcome = resolve(local, relo, localSpec);
            CoreInstructionPatch.Patched patched = CoreInstructionPatch.apply(insns, insnIndex, outcome);
            boolean poisoned = patched != CoreInstructionPatch.Patched.VALUE;
            return new CoreResult(section, insnIndex, relo, poisoned, outcome.localValue(),
                    poisoned ? 0 : outcome.targetValue(), describe(relo, localSpec, outcome, patched));
        } catch (CoreRelocationException | BtfFormatException | AssemblyException e) {
            throw new CoreRelocationException("section '" + section + "' CO-RE relocation #" + number + " at insn "
                    + insnIndex + ", " + relo.kind() + " on " + typeName(local, relo.typeId()) + " access "
                    + relo.accessString() + ": " + e.getMessage(), e);
        }
    }

    private static void checkPlace(Btf local, byte[] insns, BtfExt.CoreRelo relo) {
        int offset = relo.insnOffset();
        if (offset < 0 || offset % Instruction.SLOT_SIZE != 0 || offset > insns.length - Instruction.SLOT_SIZE) {
            throw new CoreRelocationException("instruction byte offset " + offset + " is not the start of one of the "
                    + insns.length / Instruction.SLOT_SIZE + " instructions of the section");
        }
        if (relo.typeId() < 0 || relo.typeId() > local.typeCount()) {
            throw new CoreRelocationException("type id " + Integer.toUnsignedString(relo.typeId())
                    + " does not exist in the local BTF (ids run from 0 to " + local.typeCount() + ")");
        }
    }

    private CoreOutcome resolve(Btf local, BtfExt.CoreRelo relo, CoreSpec localSpec) {
        if (relo.kind() == CoreReloKind.TYPE_ID_LOCAL) {
            // the id may change when objects are linked, so the instruction's copy is not checked
            return CoreOutcome.unchecked(relo.typeId());
        }
        BtfType localType = local.type(relo.typeId());
        String name = relo.typeId() == 0 ? "" : localType.name();
        if (name.isEmpty()) {
            throw new CoreRelocationException("CO-RE finds target types by name, and this type is anonymous; "
                    + "relocate through a named type or a typedef");
        }
        Btf target = candidates.target();
        CoreSpec chosen = null;
        CoreOutcome chosenOutcome = null;
        int chosenId = 0;
        for (int candidate : candidates.of(localType, name)) {
            CoreSpec spec = localSpec.match(target, candidate);
            if (spec == null) {
                continue;
            }
            CoreOutcome outcome = CoreOutcome.of(relo.kind(), localSpec, spec);
            if (chosen == null) {
                chosen = spec;
                chosenOutcome = outcome;
                chosenId = candidate;
            } else if (spec.bitOffset() != chosen.bitOffset()) {
                throw ambiguous(target, chosenId, candidate, "bit offset " + chosen.bitOffset() + " vs "
                        + spec.bitOffset());
            } else if (outcome.poison() != chosenOutcome.poison() || outcome.targetValue() != chosenOutcome.targetValue()) {
                throw ambiguous(target, chosenId, candidate, "value " + chosenOutcome.targetValue() + " vs "
                        + outcome.targetValue());
            }
        }
        return chosen != null ? chosenOutcome : CoreOutcome.of(relo.kind(), localSpec, null);
    }

    private static CoreRelocationException ambiguous(Btf target, int first, int second, String difference) {
        return new CoreRelocationException("ambiguous target: candidates [" + first + "] " + target.describe(first)
                + " and [" + second + "] " + target.describe(second) + " both match but give different results ("
                + difference + "); make the local type's name or flavor match only one of them");
    }

    private static String describe(BtfExt.CoreRelo relo, CoreSpec localSpec, CoreOutcome outcome,
                                   CoreInstructionPatch.Patched patched) {
        String head = relo.kind() + " " + localSpec.describe();
        return switch (patched) {
            case VALUE -> head + " -> " + outcome.targetValue();
            case POISONED_MISSING -> head + " not found in the target BTF: instruction poisoned";
            case POISONED_RESIZE -> head + " -> " + outcome.targetValue() + ", but the field's size changes from "
                    + outcome.localSize() + " to " + outcome.targetSize() + " bytes and it is neither a pointer nor "
                    + "an unsigned integer: instruction poisoned";
        };
    }

    private static String typeName(Btf local, int typeId) {
        if (typeId < 0 || typeId > local.typeCount()) {
            return "type id " + Integer.toUnsignedString(typeId);
        }
        try {
            return "[" + typeId + "] " + local.describe(typeId);
        } catch (BtfFormatException e) {
            return "type id " + typeId;
        }
    }
}
