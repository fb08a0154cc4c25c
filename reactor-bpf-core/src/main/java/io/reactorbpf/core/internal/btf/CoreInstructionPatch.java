package io.reactorbpf.core.internal.btf;

import io.reactorbpf.core.btf.CoreRelocationException;
import io.reactorbpf.core.asm.Instruction;
import io.reactorbpf.core.asm.Opcode;
import io.reactorbpf.core.asm.Size;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes a {@link CoreOutcome} into one instruction of a section's bytes, as libbpf's
 * {@code bpf_core_patch_insn}: the immediate of an ALU instruction with an immediate operand, the offset (and,
 * when the field changed size, the access size) of a load or store, the constant of a ld_imm64; or poisons the
 * instruction. Before patching it checks that the instruction holds the local value. Stateless.
 */
final class CoreInstructionPatch {

    private CoreInstructionPatch() {
    }

    /** How the instruction at {@code index} was changed. */
    enum Patched {
        /** It now holds the target value. */
        VALUE,
        /** The target lacks what it needs: it became {@code call POISON_IMM}. */
        POISONED_MISSING,
        /** Its load or store would read or write the field wrongly at the target's size: it was poisoned. */
        POISONED_RESIZE
    }

    static Patched apply(byte[] insns, int index, CoreOutcome o) {
        int at = index * Instruction.SLOT_SIZE;
        int opcode = insns[at] & 0xff;
        if (o.poison()) {
            poison(insns, at);
            return Patched.POISONED_MISSING;
        }
        switch (Opcode.instructionClass(opcode)) {
            case Opcode.ALU, Opcode.ALU64 -> patchImmediate(insns, index, o);
            case Opcode.LDX, Opcode.ST, Opcode.STX -> {
                return patchMemory(insns, index, o);
            }
            case Opcode.LD -> patchWide(insns, index, o);
            default -> throw new CoreRelocationException("instruction " + index + " (" + Instruction.decode(insns, at)
                    + ") is a jump; CO-RE patches only ALU immediates, load/store offsets and ld_imm64 constants");
        }
        return Patched.VALUE;
    }

    /** Replaces the instruction at byte {@code at} by {@code call POISON_IMM}; both slots of a ld_imm64. */
    static void poison(byte[] insns, int at) {
        boolean wide = (insns[at] & 0xff) == Opcode.LD_IMM64 && at + 2 * Instruction.SLOT_SIZE <= insns.length;
        byte[] call = Instruction.of(Opcode.JMP | Opcode.CALL, 0, 0, 0, CoreRelocator.POISON_IMM).encode();
        System.arraycopy(call, 0, insns, at, call.length);
        if (wide) {
            // a lone second slot would read as opcode 0; a second poison call keeps the verifier's message clear
            System.arraycopy(call, 0, insns, at + Instruction.SLOT_SIZE, call.length);
        }
    }

    private static void patchImmediate(byte[] insns, int index, CoreOutcome o) {
        Instruction insn = Instruction.decode(insns, index * Instruction.SLOT_SIZE);
        if (Opcode.source(insn.opcode()) != Opcode.K) {
            throw new CoreRelocationException("instruction " + index + " (" + insn
                    + ") takes its operand from a register; CO-RE patches only immediate operands");
        }
        if (o.validate() && insn.imm() != o.localValue() && Integer.toUnsignedLong(insn.imm()) != o.localValue()) {
            throw unexpected(index, insn, "immediate " + insn.imm(), o);
        }
        if (o.targetValue() != (int) o.targetValue() && o.targetValue() != Integer.toUnsignedLong((int) o.targetValue())) {
            throw new CoreRelocationException("instruction " + index + " (" + insn + "): the target value "
                    + o.targetValue() + " does not fit its 32-bit immediate");
        }
        write(insns, index, insn.withImm((int) o.targetValue()));
    }

    private static Patched patchMemory(byte[] insns, int index, CoreOutcome o) {
        Instruction insn = Instruction.decode(insns, index * Instruction.SLOT_SIZE);
        if (o.validate() && insn.off() != o.localValue()) {
            throw unexpected(index, insn, "offset " + insn.off(), o);
        }
        if (o.targetValue() < 0 || o.targetValue() > Short.MAX_VALUE) {
            throw new CoreRelocationException("instruction " + index + " (" + insn + "): the target offset "
                    + o.targetValue() + " does not fit the signed 16-bit offset field; read the field with "
                    + "bpf_core_read() instead of a direct access");
        }
        if (o.badResize()) {
            poison(insns, index * Instruction.SLOT_SIZE);
            return Patched.POISONED_RESIZE;
        }
        insn = insn.withOff((int) o.targetValue());
        if (o.localSize() != o.targetSize()) {
            int opcode = insn.opcode();
            int bytes = Size.of(opcode).bytes();
            if (bytes != o.localSize()) {
                throw new CoreRelocationException("instruction " + index + " (" + insn + ") accesses " + bytes
                        + " bytes, but the field it relocates is " + o.localSize() + " bytes");
            }
            Size size = sizeOf(o.targetSize(), index, insn);
            insn = Instruction.of(Opcode.mode(opcode) | size.code() | Opcode.instructionClass(opcode),
                    insn.dst(), insn.src(), insn.off(), insn.imm());
        }
        write(insns, index, insn);
        return Patched.VALUE;
    }

    private static Size sizeOf(long bytes, int index, Instruction insn) {
        for (Size s : Size.values()) {
            if (s.bytes() == bytes) {
                return s;
            }
        }
        throw new CoreRelocationException("instruction " + index + " (" + insn + "): the target field is "
                + bytes + " bytes, which no single load or store can access");
    }

    private static void patchWide(byte[] insns, int index, CoreOutcome o) {
        int at = index * Instruction.SLOT_SIZE;
        ByteBuffer b = ByteBuffer.wrap(insns).order(ByteOrder.LITTLE_ENDIAN);
        boolean wellFormed = (insns[at] & 0xff) == Opcode.LD_IMM64
                && at + 2 * Instruction.SLOT_SIZE <= insns.length
                && (insns[at + 1] & 0xf0) == 0 && b.getShort(at + 2) == 0
                && b.getInt(at + Instruction.SLOT_SIZE) == 0;
        if (!wellFormed) {
            throw new CoreRelocationException(String.format("instruction %d (opcode 0x%02x) is not a plain "
                    + "two-slot ld_imm64 of a constant, the only LD instruction CO-RE patches", index, insns[at] & 0xff));
        }
        Instruction insn = Instruction.decode(insns, at);
        if (o.validate() && insn.imm64() != o.localValue()) {
            throw unexpected(index, insn, "constant " + insn.imm64(), o);
        }
        write(insns, index, insn.withImm64(o.targetValue()));
    }

    private static CoreRelocationException unexpected(int index, Instruction insn, String holds, CoreOutcome o) {
        return new CoreRelocationException("instruction " + index + " (" + insn + ") holds " + holds
                + ", but the local BTF gives " + o.localValue() + " (to become " + o.targetValue()
                + "); the .BTF.ext record does not belong to this instruction or the object was altered");
    }

    private static void write(byte[] insns, int index, Instruction insn) {
        byte[] bytes = insn.encode();
        System.arraycopy(bytes, 0, insns, index * Instruction.SLOT_SIZE, bytes.length);
    }
}
