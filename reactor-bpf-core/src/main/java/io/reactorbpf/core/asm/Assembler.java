package io.reactorbpf.core.asm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a BPF program one instruction at a time, with jumps and calls to named labels that {@link #build()}
 * resolves into slot offsets. Every method returns this builder:
 * <pre>{@code
 * byte[] insns = new Assembler()
 *         .mov64(R0, 0)
 *         .jeq(R1, 0, "out")
 *         .mov64(R0, 1)
 *         .label("out")
 *         .exit()
 *         .build();
 * }</pre>
 * Mutable and not thread-safe: one thread builds. Field values are checked as they are added, labels at
 * {@link #build()}; both throw {@link AssemblyException} naming the instruction or label.
 *
 * @since 0.1
 */
public final class Assembler {

    /** How a label reference is written into its instruction. */
    private enum Target {
        /** A jump: the off field, in slots after the jump. */
        OFF,
        /** A bpf-to-bpf call or a callback address: the imm field, in slots after the instruction. */
        IMM
    }

    private record Entry(Instruction insn, String label, Target target) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Integer> labels = new HashMap<>();

    /**
     * Adds {@code insn} as it is, for instructions the other methods do not build; it takes one entry even when
     * it is a two-slot ld_imm64, and labels count its slots.
     *
     * @param insn the instruction, already encoded with its final fields
     * @return this assembler
     */
    public Assembler emit(Instruction insn) {
        entries.add(new Entry(Objects.requireNonNull(insn, "insn"), null, null));
        return this;
    }

    private Assembler emit(Instruction insn, String label, Target target) {
        Objects.requireNonNull(label, "label");
        entries.add(new Entry(insn, label, target));
        return this;
    }

    /**
     * Names the next instruction {@code name}, for jumps before or after it. Throws {@link AssemblyException}
     * when the name is already in use.
     *
     * @param name the label, unique in this program; jumps, calls and {@link #ldFunc} refer to it
     * @return this assembler
     * @throws AssemblyException when another instruction already carries this label
     */
    public Assembler label(String name) {
        Objects.requireNonNull(name, "name");
        Integer previous = labels.putIfAbsent(name, entries.size());
        if (previous != null) {
            throw new AssemblyException("label '" + name + "' is already defined at instruction " + previous
                    + "; give each label a unique name");
        }
        return this;
    }

    private static Instruction insn(int opcode, Register dst, Register src, int off, int imm) {
        return Instruction.of(opcode, dst.number(), src.number(), off, imm);
    }


    /**
     * {@code dst = src}, 64 bits.
     *
     * @param dst the destination register
     * @param src the register copied
     * @return this assembler
     */
    public Assembler mov64(Register dst, Register src) {
        return alu64(AluOp.MOV, dst, src);
    }

    /**
     * {@code dst = imm}, the immediate sign-extended to 64 bits; a constant that needs all 64 bits takes
     * {@link #ldImm64}.
     *
     * @param dst the destination register
     * @param imm the 32-bit constant
     * @return this assembler
     */
    public Assembler mov64(Register dst, int imm) {
        return alu64(AluOp.MOV, dst, imm);
    }

    /**
     * {@code wdst = wsrc}, 32 bits; the upper half of dst becomes zero.
     *
     * @param dst the destination register
     * @param src the register whose low 32 bits are copied
     * @return this assembler
     */
    public Assembler mov32(Register dst, Register src) {
        return alu32(AluOp.MOV, dst, src);
    }

    /**
     * {@code wdst = imm}, 32 bits; the upper half of dst becomes zero.
     *
     * @param dst the destination register
     * @param imm the 32-bit constant
     * @return this assembler
     */
    public Assembler mov32(Register dst, int imm) {
        return alu32(AluOp.MOV, dst, imm);
    }

    /**
     * {@code dst op= src}, 64 bits.
     *
     * @param op the operation
     * @param dst the destination register, also the left operand
     * @param src the register holding the right operand
     * @return this assembler
     */
    public Assembler alu64(AluOp op, Register dst, Register src) {
        return emit(insn(Opcode.ALU64 | op.code() | Opcode.X, dst, src, 0, 0));
    }

    /**
     * {@code dst op= imm}, 64 bits, the immediate sign-extended.
     *
     * @param op the operation
     * @param dst the destination register, also the left operand
     * @param imm the right operand
     * @return this assembler
     */
    public Assembler alu64(AluOp op, Register dst, int imm) {
        return emit(insn(Opcode.ALU64 | op.code() | Opcode.K, dst, Register.R0, 0, imm));
    }

    /**
     * {@code wdst op= wsrc}, 32 bits; the upper half of dst becomes zero.
     *
     * @param op the operation
     * @param dst the destination register, also the left operand
     * @param src the register whose low 32 bits are the right operand
     * @return this assembler
     */
    public Assembler alu32(AluOp op, Register dst, Register src) {
        return emit(insn(Opcode.ALU | op.code() | Opcode.X, dst, src, 0, 0));
    }

    /**
     * {@code wdst op= imm}, 32 bits; the upper half of dst becomes zero.
     *
     * @param op the operation
     * @param dst the destination register, also the left operand
     * @param imm the right operand
     * @return this assembler
     */
    public Assembler alu32(AluOp op, Register dst, int imm) {
        return emit(insn(Opcode.ALU | op.code() | Opcode.K, dst, Register.R0, 0, imm));
    }

    /**
     * {@code dst = -dst}, 64 bits.
     *
     * @param dst the register negated in place
     * @return this assembler
     */
    public Assembler neg64(Register dst) {
        return emit(insn(Opcode.ALU64 | Opcode.NEG, dst, Register.R0, 0, 0));
    }

    /**
     * {@code wdst = -wdst}, 32 bits; the upper half of dst becomes zero.
     *
     * @param dst the register negated in place
     * @return this assembler
     */
    public Assembler neg32(Register dst) {
        return emit(insn(Opcode.ALU | Opcode.NEG, dst, Register.R0, 0, 0));
    }

    /**
     * Converts the low {@code bits} (16, 32 or 64) of dst to big-endian, zeroing the rest: network byte order,
     * a byte swap on the little-endian machines reactor-bpf runs on.
     *
     * @param dst the register converted in place
     * @param bits the width converted: 16, 32 or 64
     * @return this assembler
     * @throws AssemblyException when {@code bits} is not 16, 32 or 64
     */
    public Assembler toBe(Register dst, int bits) {
        return emit(insn(Opcode.ALU | Opcode.END | Opcode.TO_BE, dst, Register.R0, 0, swapWidth(bits)));
    }

    /**
     * Converts the low {@code bits} (16, 32 or 64) of dst to little-endian, zeroing the rest: on the
     * little-endian machines reactor-bpf runs on only the zeroing remains.
     *
     * @param dst the register converted in place
     * @param bits the width converted: 16, 32 or 64
     * @return this assembler
     * @throws AssemblyException when {@code bits} is not 16, 32 or 64
     */
    public Assembler toLe(Register dst, int bits) {
        return emit(insn(Opcode.ALU | Opcode.END | Opcode.TO_LE, dst, Register.R0, 0, swapWidth(bits)));
    }

    private static int swapWidth(int bits) {
        if (bits != 16 && bits != 32 && bits != 64) {
            throw new AssemblyException("byte swaps take 16, 32 or 64 bits, not " + bits);
        }
        return bits;
    }


    /**
     * {@code dst = *(size *)(src + off)}: a load, zero-extended to 64 bits; the verifier checks that src points
     * at memory the program may read (stack, map value, context).
     *
     * @param size the width loaded
     * @param dst the register loaded into
     * @param src the register holding the base address
     * @param off the signed byte displacement from the base address
     * @return this assembler
     * @throws AssemblyException when {@code off} does not fit the signed 16-bit off field
     */
    public Assembler ldx(Size size, Register dst, Register src, int off) {
        return emit(insn(Opcode.LDX | Opcode.MEM | size.code(), dst, src, off, 0));
    }

    /**
     * {@code *(size *)(dst + off) = src}: a store of the low {@code size} bytes of src.
     *
     * @param size the width stored
     * @param dst the register holding the base address
     * @param off the signed byte displacement from the base address
     * @param src the register whose value is stored
     * @return this assembler
     * @throws AssemblyException when {@code off} does not fit the signed 16-bit off field
     */
    public Assembler stx(Size size, Register dst, int off, Register src) {
        return emit(insn(Opcode.STX | Opcode.MEM | size.code(), dst, src, off, 0));
    }

    /**
     * {@code *(size *)(dst + off) = imm}: a store of a constant, such as zeroing a stack slot.
     *
     * @param size the width stored
     * @param dst the register holding the base address
     * @param off the signed byte displacement from the base address
     * @param imm the constant stored, truncated to {@code size} (sign-extended for {@link Size#DW})
     * @return this assembler
     * @throws AssemblyException when {@code off} does not fit the signed 16-bit off field
     */
    public Assembler st(Size size, Register dst, int off, int imm) {
        return emit(insn(Opcode.ST | Opcode.MEM | size.code(), dst, Register.R0, off, imm));
    }

    /**
     * {@code lock *(size *)(dst + off) += src}, atomically; size is {@link Size#W} or {@link Size#DW}. This is
     * how a counter in a map value shared by every CPU is bumped.
     *
     * @param size the width added: {@link Size#W} or {@link Size#DW}
     * @param dst the register holding the base address
     * @param off the signed byte displacement from the base address
     * @param src the register holding the addend
     * @return this assembler
     * @throws AssemblyException when {@code size} is B or H, or {@code off} does not fit the off field
     */
    public Assembler atomicAdd(Size size, Register dst, int off, Register src) {
        if (size != Size.W && size != Size.DW) {
            throw new AssemblyException("atomic add works on W or DW, not " + size);
        }
        return emit(insn(Opcode.STX | Opcode.ATOMIC | size.code(), dst, src, off, Opcode.ADD));
    }

    /**
     * {@code src = atomic_fetch_add((size *)(dst + off), src)}: adds atomically and leaves the old value in
     * {@code src}; size is {@link Size#W} or {@link Size#DW}.
     *
     * @param size the width added: {@link Size#W} or {@link Size#DW}
     * @param dst the register holding the base address
     * @param off the signed byte displacement from the base address
     * @param src the register holding the addend, and afterwards the value before the add
     * @return this assembler
     * @throws AssemblyException when {@code size} is B or H, or {@code off} does not fit the off field
     */
    public Assembler atomicFetchAdd(Size size, Register dst, int off, Register src) {
        if (size != Size.W && size != Size.DW) {
            throw new AssemblyException("atomic fetch-add works on W or DW, not " + size);
        }
        return emit(insn(Opcode.STX | Opcode.ATOMIC | size.code(), dst, src, off, Opcode.ADD | Opcode.FETCH));
    }


    /**
     * {@code dst = value}: a two-slot ld_imm64.
     *
     * @param dst the destination register
     * @param value the full 64-bit constant
     * @return this assembler
     */
    public Assembler ldImm64(Register dst, long value) {
        return emit(Instruction.wide(dst.number(), 0, value));
    }

    /**
     * {@code dst = &map}, the map the loader finds by file descriptor {@code fd} ({@link Pseudo#MAP_FD}). The
     * kernel reads the descriptor at BPF_PROG_LOAD, so it must stay open until the program is loaded.
     *
     * @param dst the register that receives the map pointer, for map helpers such as bpf_map_lookup_elem
     * @param fd the map's file descriptor, as {@code BpfMap} holds it
     * @return this assembler
     */
    public Assembler ldMapFd(Register dst, int fd) {
        return emit(Instruction.wide(dst.number(), Pseudo.MAP_FD, Integer.toUnsignedLong(fd)));
    }

    /**
     * {@code dst = &value + offset}: the address of byte {@code offset} of the value of a single-entry array
     * map ({@link Pseudo#MAP_VALUE}), as global variables use.
     *
     * @param dst the register that receives the address
     * @param fd the array map's file descriptor, open until the program is loaded
     * @param offset the byte offset inside the map's value, such as a variable's offset in .bss
     * @return this assembler
     */
    public Assembler ldMapValue(Register dst, int fd, int offset) {
        return emit(Instruction.wide(dst.number(), Pseudo.MAP_VALUE, (long) offset << 32 | Integer.toUnsignedLong(fd)));
    }

    /**
     * {@code dst = &ksym}: the address of the kernel variable with BTF id {@code btfId} ({@link Pseudo#BTF_ID}).
     *
     * @param dst the register that receives the address
     * @param btfId the variable's type id in vmlinux BTF
     * @return this assembler
     */
    public Assembler ldBtfId(Register dst, int btfId) {
        return emit(Instruction.wide(dst.number(), Pseudo.BTF_ID, Integer.toUnsignedLong(btfId)));
    }

    /**
     * {@code dst = &label}: a callback pointer to the subprogram at {@code label} ({@link Pseudo#FUNC}), for
     * helpers that take one, such as bpf_loop and bpf_for_each_map_elem. The label is resolved at
     * {@link #build()}.
     *
     * @param dst the register that receives the callback pointer
     * @param label the label of the subprogram's first instruction
     * @return this assembler
     */
    public Assembler ldFunc(Register dst, String label) {
        return emit(Instruction.wide(dst.number(), Pseudo.FUNC, 0), label, Target.IMM);
    }


    /**
     * Calls helper {@code func}: arguments in R1-R5, result in R0; R1-R5 are clobbered. The verifier rejects
     * helpers the program's type may not call.
     *
     * @param func the helper
     * @return this assembler
     */
    public Assembler call(BpfFunc func) {
        return call(func.id());
    }

    /**
     * Calls the helper with id {@code helperId}, for helpers {@link BpfFunc} does not name.
     *
     * @param helperId the helper's number in linux/bpf.h's {@code enum bpf_func_id}
     * @return this assembler
     */
    public Assembler call(int helperId) {
        return emit(insn(Opcode.JMP | Opcode.CALL, Register.R0, Register.R0, 0, helperId));
    }

    /**
     * Calls the subprogram starting at {@code label} (a bpf-to-bpf call, {@link Pseudo#CALL}): R1-R5 are its
     * arguments, R0 its result, and it gets a stack frame of its own. The label is resolved at {@link #build()}.
     *
     * @param label the label of the subprogram's first instruction
     * @return this assembler
     */
    public Assembler call(String label) {
        return emit(Instruction.of(Opcode.JMP | Opcode.CALL, 0, Pseudo.CALL, 0, 0), label, Target.IMM);
    }

    /**
     * Calls the kernel function with BTF id {@code btfId} ({@link Pseudo#KFUNC_CALL}); {@code btfFdIndex} is
     * the index of its module's BTF in the program's fd_array, 0 for vmlinux.
     *
     * @param btfId the function's type id in its BTF
     * @param btfFdIndex the fd_array index of the module BTF that holds the function, 0 for vmlinux
     * @return this assembler
     * @throws AssemblyException when {@code btfFdIndex} does not fit the signed 16-bit off field
     */
    public Assembler callKfunc(int btfId, int btfFdIndex) {
        return emit(Instruction.of(Opcode.JMP | Opcode.CALL, 0, Pseudo.KFUNC_CALL, btfFdIndex, btfId));
    }

    /**
     * Jumps to {@code label}, resolved at {@link #build()}.
     *
     * @param label the label of the instruction jumped to
     * @return this assembler
     */
    public Assembler ja(String label) {
        return emit(insn(Opcode.JMP | Opcode.JA, Register.R0, Register.R0, 0, 0), label, Target.OFF);
    }

    /**
     * Jumps to {@code label} when {@code dst == imm}, comparing 64 bits (imm sign-extended).
     *
     * @param dst the register compared
     * @param imm the constant it is compared with
     * @param label the label of the instruction jumped to
     * @return this assembler
     */
    public Assembler jeq(Register dst, int imm, String label) {
        return jmp(JumpOp.JEQ, dst, imm, label);
    }

    /**
     * Jumps to {@code label} when {@code dst == src}, comparing 64 bits.
     *
     * @param dst the register compared
     * @param src the register it is compared with
     * @param label the label of the instruction jumped to
     * @return this assembler
     */
    public Assembler jeq(Register dst, Register src, String label) {
        return jmp(JumpOp.JEQ, dst, src, label);
    }

    /**
     * Jumps to {@code label} when {@code dst != imm}, comparing 64 bits (imm sign-extended).
     *
     * @param dst the register compared
     * @param imm the constant it is compared with
     * @param label the label of the instruction jumped to
     * @return this assembler
     */
    public Assembler jne(Register dst, int imm, String label) {
        return jmp(JumpOp.JNE, dst, imm, label);
    }

    /**
     * Jumps to {@code label} when {@code dst != src}, comparing 64 bits.
     *
     * @param dst the register compared
     * @param src the register it is compared with
     * @param label the label of the instruction jumped to
     * @return this assembler
     */
    public Assembler jne(Register dst, Register src, String label) {
        return jmp(JumpOp.JNE, dst, src, label);
    }

    /**
     * Jumps to {@code label} when {@code dst op imm} holds, comparing 64 bits (imm sign-extended).
     *
     * @param op the comparison
     * @param dst the register on the left of the comparison
     * @param imm the constant on the right
     * @param label the label of the instruction jumped to
     * @return this assembler
     */
    public Assembler jmp(JumpOp op, Register dst, int imm, String label) {
        return emit(insn(Opcode.JMP | op.code() | Opcode.K, dst, Register.R0, 0, imm), label, Target.OFF);
    }

    /**
     * Jumps to {@code label} when {@code dst op src} holds, comparing 64 bits.
     *
     * @param op the comparison
     * @param dst the register on the left of the comparison
     * @param src the register on the right
     * @param label the label of the instruction jumped to
     * @return this assembler
     */
    public Assembler jmp(JumpOp op, Register dst, Register src, String label) {
        return emit(insn(Opcode.JMP | op.code() | Opcode.X, dst, src, 0, 0), label, Target.OFF);
    }

    /**
     * Jumps to {@code label} when {@code wdst op imm} holds, comparing the low 32 bits.
     *
     * @param op the comparison
     * @param dst the register whose low 32 bits are on the left of the comparison
     * @param imm the constant on the right
     * @param label the label of the instruction jumped to
     * @return this assembler
     */
    public Assembler jmp32(JumpOp op, Register dst, int imm, String label) {
        return emit(insn(Opcode.JMP32 | op.code() | Opcode.K, dst, Register.R0, 0, imm), label, Target.OFF);
    }

    /**
     * Jumps to {@code label} when {@code wdst op wsrc} holds, comparing the low 32 bits.
     *
     * @param op the comparison
     * @param dst the register whose low 32 bits are on the left of the comparison
     * @param src the register whose low 32 bits are on the right
     * @param label the label of the instruction jumped to
     * @return this assembler
     */
    public Assembler jmp32(JumpOp op, Register dst, Register src, String label) {
        return emit(insn(Opcode.JMP32 | op.code() | Opcode.X, dst, src, 0, 0), label, Target.OFF);
    }

    /**
     * Returns R0 to the caller (from a subprogram) or to the kernel, which reads it as the program's verdict
     * or return code for its type.
     *
     * @return this assembler
     */
    public Assembler exit() {
        return emit(insn(Opcode.JMP | Opcode.EXIT, Register.R0, Register.R0, 0, 0));
    }


    /**
     * The program with every label resolved. Throws {@link AssemblyException} for an empty program, a
     * reference to an undefined label, a label after the last instruction, or a jump farther than the signed
     * 16-bit off field reaches. Can be called more than once; the builder is not changed.
     *
     * @return an unmodifiable list, one entry per instruction added (a ld_imm64 is one entry of two slots)
     * @throws AssemblyException when the program is empty, a label is undefined or follows the last
     *         instruction, or a jump is out of the off field's range
     */
    public List<Instruction> instructions() {
        if (entries.isEmpty()) {
            throw new AssemblyException("the program has no instructions; it needs at least an exit");
        }
        int[] slotOf = new int[entries.size() + 1];
        for (int n = 0; n < entries.size(); n++) {
            slotOf[n + 1] = slotOf[n] + entries.get(n).insn().slots();
        }
        List<Instruction> out = new ArrayList<>(entries.size());
        for (int n = 0; n < entries.size(); n++) {
            Entry e = entries.get(n);
            out.add(e.label() == null ? e.insn() : resolve(e, n, slotOf));
        }
        return Collections.unmodifiableList(out);
    }

    private Instruction resolve(Entry e, int n, int[] slotOf) {
        Integer target = labels.get(e.label());
        if (target == null) {
            throw new AssemblyException("instruction " + n + " (" + e.insn() + ") refers to label '" + e.label()
                    + "', which is not defined; add label(\"" + e.label() + "\") before the target instruction");
        }
        if (target == entries.size()) {
            throw new AssemblyException("label '" + e.label() + "' (used by instruction " + n
                    + ") follows the last instruction; a jump or call must land on an instruction");
        }
        int delta = slotOf[target] - (slotOf[n] + 1);
        if (e.target() == Target.IMM) {
            return e.insn().withImm(delta);
        }
        if (delta != (short) delta) {
            throw new AssemblyException("instruction " + n + " (" + e.insn() + ") jumps " + delta
                    + " slots to label '" + e.label() + "', beyond the signed 16-bit offset range (-32768..32767)");
        }
        return e.insn().withOff(delta);
    }

    /**
     * The program's bytes with every label resolved, ready for BPF_PROG_LOAD; see {@link #instructions()}.
     *
     * @return a new array of 8 bytes per slot, little-endian, owned by the caller
     * @throws AssemblyException as {@link #instructions()} does
     */
    public byte[] build() {
        return Instruction.encode(instructions());
    }
}
