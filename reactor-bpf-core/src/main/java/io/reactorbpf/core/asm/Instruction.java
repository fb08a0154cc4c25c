package io.reactorbpf.core.asm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One BPF instruction, {@code struct bpf_insn}: an opcode byte, dst and src register numbers (4 bits each), a
 * signed 16-bit offset and a signed 32-bit immediate, encoded in 8 little-endian bytes (the byte order of every
 * architecture reactor-bpf runs on). The 64-bit immediate load ({@link Opcode#LD_IMM64}) is one instruction of
 * two slots, 16 bytes: the second slot holds only the upper half of the constant, {@link #nextImm()}.
 * Immutable and thread-safe; the {@code with} methods return patched copies.
 *
 * @since 0.1
 */
public final class Instruction {

    /** Bytes in one instruction slot. */
    public static final int SLOT_SIZE = 8;

    private final int opcode;
    private final int dst;
    private final int src;
    private final int off;
    private final int imm;
    private final int nextImm;

    private Instruction(int opcode, int dst, int src, int off, int imm, int nextImm) {
        this.opcode = opcode;
        this.dst = dst;
        this.src = src;
        this.off = off;
        this.imm = imm;
        this.nextImm = nextImm;
    }

    /**
     * A one-slot instruction. Throws {@link AssemblyException} when a field does not fit (opcode 0-255,
     * registers 0-15, off a signed 16-bit value) or the opcode is {@link Opcode#LD_IMM64}, which takes two slots.
     *
     * @param opcode the opcode byte: class, size and mode, or class, source and operation ({@link Opcode})
     * @param dst the destination register number
     * @param src the source register number, or a {@link Pseudo} value on a call
     * @param off the memory displacement or jump distance in slots
     * @param imm the 32-bit immediate: a constant, a helper id, a BTF id or a call distance
     * @return the instruction
     * @throws AssemblyException when a field is out of its range or the opcode is ld_imm64
     */
    public static Instruction of(int opcode, int dst, int src, int off, int imm) {
        if (opcode == Opcode.LD_IMM64) {
            throw new AssemblyException("opcode 0x18 (ld_imm64) takes two slots: use Instruction.wide(...)");
        }
        return checked(opcode, dst, src, off, imm, 0);
    }

    /**
     * An {@link Opcode#LD_IMM64} of {@code value} into register {@code dst}, with {@code src} 0 or a
     * {@link Pseudo} value.
     *
     * @param dst the destination register number
     * @param src 0 for a plain constant, or the {@link Pseudo} value that makes the kernel rewrite it (a map, a
     *        BTF id, a subprogram)
     * @param value the 64-bit constant: the low half goes in the first slot's imm, the high half in the second's
     * @return the two-slot instruction
     * @throws AssemblyException when {@code dst} or {@code src} does not fit its 4-bit field
     */
    public static Instruction wide(int dst, int src, long value) {
        return checked(Opcode.LD_IMM64, dst, src, 0, (int) value, (int) (value >>> 32));
    }

    private static Instruction checked(int opcode, int dst, int src, int off, int imm, int nextImm) {
        if (opcode < 0 || opcode > 0xff) {
            throw new AssemblyException("opcode " + opcode + " does not fit in a byte");
        }
        checkRegister("dst", dst);
        checkRegister("src", src);
        if (off != (short) off) {
            throw new AssemblyException("offset " + off + " does not fit the signed 16-bit off field (-32768..32767)");
        }
        return new Instruction(opcode, dst, src, off, imm, nextImm);
    }

    private static void checkRegister(String which, int reg) {
        if (reg < 0 || reg > 15) {
            throw new AssemblyException(which + " register " + reg + " does not fit the 4-bit field (0..15)");
        }
    }

    /**
     * The opcode byte, 0-255.
     *
     * @return the opcode, to take apart with {@link Opcode}'s methods
     */
    public int opcode() {
        return opcode;
    }

    /**
     * The destination register number, 0-15 (the kernel accepts 0-10).
     *
     * @return the dst field
     */
    public int dst() {
        return dst;
    }

    /**
     * The source register number, or a {@link Pseudo} value on ld_imm64 and call.
     *
     * @return the src field
     */
    public int src() {
        return src;
    }

    /**
     * The signed 16-bit offset: a memory displacement, or a jump distance in slots after the next one.
     *
     * @return the off field, sign-extended
     */
    public int off() {
        return off;
    }

    /**
     * The signed 32-bit immediate of the first slot.
     *
     * @return the imm field
     */
    public int imm() {
        return imm;
    }

    /**
     * The immediate of the second slot of a ld_imm64 (upper half of the constant, or a map value offset); else 0.
     *
     * @return the second slot's imm field, or 0 for a one-slot instruction
     */
    public int nextImm() {
        return nextImm;
    }

    /**
     * The 64-bit constant of a ld_imm64; for other instructions the sign-extended {@link #imm()}.
     *
     * @return both immediates joined, the second slot's in the upper half
     */
    public long imm64() {
        return isWide() ? ((long) nextImm << 32) | Integer.toUnsignedLong(imm) : imm;
    }

    /**
     * Whether this is a two-slot ld_imm64.
     *
     * @return true when the opcode is {@link Opcode#LD_IMM64}
     */
    public boolean isWide() {
        return opcode == Opcode.LD_IMM64;
    }

    /**
     * Slots this instruction takes: 2 for ld_imm64, else 1. Jump distances and the verifier log count slots.
     *
     * @return 1 or 2
     */
    public int slots() {
        return isWide() ? 2 : 1;
    }

    /**
     * This instruction with another dst register.
     *
     * @param newDst the destination register number, 0-15
     * @return a patched copy
     * @throws AssemblyException when {@code newDst} does not fit the 4-bit field
     */
    public Instruction withDst(int newDst) {
        return checked(opcode, newDst, src, off, imm, nextImm);
    }

    /**
     * This instruction with another src register or pseudo value.
     *
     * @param newSrc the source register number or {@link Pseudo} value, 0-15
     * @return a patched copy
     * @throws AssemblyException when {@code newSrc} does not fit the 4-bit field
     */
    public Instruction withSrc(int newSrc) {
        return checked(opcode, dst, newSrc, off, imm, nextImm);
    }

    /**
     * This instruction with another offset, as the loader writes a relocated field offset or jump distance.
     *
     * @param newOff the memory displacement or jump distance in slots
     * @return a patched copy
     * @throws AssemblyException when {@code newOff} does not fit the signed 16-bit field
     */
    public Instruction withOff(int newOff) {
        return checked(opcode, dst, src, newOff, imm, nextImm);
    }

    /**
     * This instruction with another first-slot immediate, as the loader writes a map fd, BTF id or call distance.
     * On a ld_imm64 the second slot is kept.
     *
     * @param newImm the 32-bit immediate
     * @return a patched copy
     */
    public Instruction withImm(int newImm) {
        return checked(opcode, dst, src, off, newImm, nextImm);
    }

    /**
     * This ld_imm64 with another 64-bit constant.
     *
     * @param value the 64-bit constant, split over both slots
     * @return a patched copy
     * @throws AssemblyException when this is not a ld_imm64
     */
    public Instruction withImm64(long value) {
        if (!isWide()) {
            throw new AssemblyException("only ld_imm64 holds a 64-bit constant, not: " + this);
        }
        return checked(opcode, dst, src, off, (int) value, (int) (value >>> 32));
    }

    /**
     * The instruction's 8 or 16 bytes.
     *
     * @return a new little-endian array of {@link #slots()} times {@link #SLOT_SIZE} bytes
     */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(slots() * SLOT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        encodeTo(b);
        return b.array();
    }

    /**
     * Writes the instruction at {@code b}'s position, advancing it by 8 or 16 bytes; sets the order to little-endian.
     *
     * @param b the buffer written, with at least {@link #slots()} times {@link #SLOT_SIZE} bytes remaining
     */
    public void encodeTo(ByteBuffer b) {
        b.order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) opcode).put((byte) (src << 4 | dst)).putShort((short) off).putInt(imm);
        if (isWide()) {
            b.putLong(Integer.toUnsignedLong(nextImm) << 32);
        }
    }

    /**
     * The bytes of {@code program}, ready for BPF_PROG_LOAD.
     *
     * @param program the instructions in order
     * @return a new array of 8 bytes per slot
     */
    public static byte[] encode(List<Instruction> program) {
        int slots = 0;
        for (Instruction i : program) {
            slots += i.slots();
        }
        ByteBuffer b = ByteBuffer.allocate(slots * SLOT_SIZE);
        for (Instruction i : program) {
            i.encodeTo(b);
        }
        return b.array();
    }

    /**
     * The instruction at byte {@code offset} of {@code code}. Throws {@link AssemblyException} when the bytes
     * end inside it, or when the second slot of a ld_imm64 holds anything but its immediate.
     *
     * @param code program bytes, such as an ELF section's
     * @param offset the byte offset of the instruction, a multiple of 8
     * @return the instruction, two slots for a ld_imm64
     * @throws AssemblyException when no whole instruction starts at {@code offset}
     */
    public static Instruction decode(byte[] code, int offset) {
        if (offset < 0 || offset % SLOT_SIZE != 0 || offset + SLOT_SIZE > code.length) {
            throw new AssemblyException("no instruction at byte " + offset + " of " + code.length
                    + " bytes: instructions are 8-byte slots");
        }
        ByteBuffer b = ByteBuffer.wrap(code).order(ByteOrder.LITTLE_ENDIAN);
        int opcode = b.get(offset) & 0xff;
        int regs = b.get(offset + 1) & 0xff;
        int off = b.getShort(offset + 2);
        int imm = b.getInt(offset + 4);
        if (opcode != Opcode.LD_IMM64) {
            return new Instruction(opcode, regs & 0x0f, regs >>> 4, off, imm, 0);
        }
        int next = offset + SLOT_SIZE;
        if (next + SLOT_SIZE > code.length) {
            throw new AssemblyException("ld_imm64 at instruction " + offset / SLOT_SIZE
                    + " lacks its second slot: the program ends after the first");
        }
        if (b.getInt(next) != 0) {
            throw new AssemblyException("ld_imm64 at instruction " + offset / SLOT_SIZE
                    + " has a second slot with opcode, registers or offset set; only its imm may be non-zero");
        }
        return new Instruction(opcode, regs & 0x0f, regs >>> 4, off, imm, b.getInt(next + 4));
    }

    /**
     * Every instruction of {@code code}, whose length must be a multiple of 8.
     *
     * @param code program bytes, such as an ELF section's
     * @return an unmodifiable list, one entry per instruction (a ld_imm64 is one entry of two slots)
     * @throws AssemblyException when the length is not a multiple of 8 or a ld_imm64 is truncated or malformed
     */
    public static List<Instruction> decodeAll(byte[] code) {
        if (code.length % SLOT_SIZE != 0) {
            throw new AssemblyException("a program is a sequence of 8-byte slots, not " + code.length + " bytes");
        }
        List<Instruction> out = new ArrayList<>();
        for (int at = 0; at < code.length; ) {
            Instruction i = decode(code, at);
            out.add(i);
            at += i.slots() * SLOT_SIZE;
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Instruction i && i.opcode == opcode && i.dst == dst && i.src == src && i.off == off
                && i.imm == imm && i.nextImm == nextImm;
    }

    @Override
    public int hashCode() {
        return ((((opcode * 31 + dst) * 31 + src) * 31 + off) * 31 + imm) * 31 + nextImm;
    }

    /** The instruction as the verifier log prints it, such as {@code r1 = *(u32 *)(r10 -8)}. */
    @Override
    public String toString() {
        return InstructionFormat.format(this);
    }
}
