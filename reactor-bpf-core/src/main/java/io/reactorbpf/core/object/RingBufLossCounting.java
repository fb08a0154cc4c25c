package io.reactorbpf.core.object;

import io.reactorbpf.core.asm.BpfFunc;
import io.reactorbpf.core.asm.Opcode;
import io.reactorbpf.core.asm.Pseudo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Counts what BPF ring buffers lose, which the kernel does not: rewrites a linked program so that every call of
 * {@code bpf_ringbuf_output} or {@code bpf_ringbuf_reserve_dynptr} that returns non-zero, and of
 * {@code bpf_ringbuf_reserve} that returns NULL, adds one atomically to the u64 of that ring buffer in the
 * object's loss array. The five instructions added after such a call are
 * <pre>
 *   if r0 != 0 goto +4      (if r0 == 0 for output and reserve_dynptr)
 *   r1 = map_value(loss array) + 8 * slot ll
 *   r2 = 1
 *   lock *(u64 *)(r1 + 0) += r2
 * </pre>
 * They use only r1 and r2, which the call left undefined (the verifier refuses a read of them before a write), and
 * call no helper, so r0 and every register the program reads are as the call left them. Jumps, BPF-to-BPF calls,
 * callback addresses, func_info and line_info are moved to the instructions they named.
 *
 * <p>The ring buffer a call writes to is the one loaded into r1 by the {@code ld_imm64} that last sets r1 in the
 * call's basic block; when a call's ring buffer is not known that way, {@link #sites} says so and the loader counts
 * nothing for the object, so no reader reports a count that misses some losses. Static; runs on the loading thread.
 */
final class RingBufLossCounting {

    /** The section name of the loss array among the object's internal maps. */
    static final String SECTION = ".rblost";
    /** Instructions added after each counted call. */
    static final int ADDED = 5;

    private static final int CALL = Opcode.JMP | Opcode.CALL;
    private static final int EXIT = Opcode.JMP | Opcode.EXIT;
    private static final int MOV64_K = Opcode.ALU64 | Opcode.MOV | Opcode.K;
    private static final int ATOMIC_DW = Opcode.STX | Opcode.ATOMIC | Opcode.DW;
    private static final int R1 = 1;

    private RingBufLossCounting() {
    }

    /** A call of a ring buffer helper whose failure is counted, and the ring buffer's map descriptor. */
    record Site(int insn, boolean nullOnFailure, int mapFd) {
    }

    /** A rewritten program and, for each of its instructions, the linked instruction it came from (-1: added). */
    record Rewritten(LinkedProgram program, int[] linkedIndex) {

        /** The linked program's instruction index for {@code insn} of the rewritten one, or -1 for an added one. */
        int linked(int insn) {
            return insn >= 0 && insn < linkedIndex.length ? linkedIndex[insn] : -1;
        }
    }

    /**
     * The counted calls in {@code linked}, each with the descriptor of the map r1 holds at the call; empty when
     * some call's ring buffer is not loaded into r1 in its basic block.
     */
    static Optional<List<Site>> sites(LinkedProgram linked) {
        Code code = new Code(linked.insns());
        boolean[] entered = code.entered(linked.layout());
        List<Site> sites = new ArrayList<>();
        for (int i = 0; i < code.slots; i++) {
            if (!code.starts[i] || code.opcode(i) != CALL || code.src(i) != 0) {
                continue;
            }
            int helper = code.imm(i);
            boolean reserve = helper == BpfFunc.RINGBUF_RESERVE.id();
            if (reserve || helper == BpfFunc.RINGBUF_OUTPUT.id() || helper == BpfFunc.RINGBUF_RESERVE_DYNPTR.id()) {
                int mapFd = code.mapInR1(i, entered);
                if (mapFd < 0) {
                    return Optional.empty();
                }
                sites.add(new Site(i, reserve, mapFd));
            }
        }
        return Optional.of(sites);
    }

    /**
     * {@code linked} with the counting added after each of {@code sites}; {@code slotOf} gives each ring buffer
     * descriptor its counter's index in the loss array, whose descriptor is {@code lossArrayFd}.
     *
     * @throws ObjectFormatException when a jump no longer fits its 16-bit offset
     */
    static Rewritten rewrite(String program, LinkedProgram linked, List<Site> sites, int lossArrayFd,
                             Map<Integer, Integer> slotOf) {
        Code code = new Code(linked.insns());
        int n = code.slots;
        int[] moved = new int[n + 1];
        int added = 0;
        int next = 0;
        for (int i = 0; i <= n; i++) {
            moved[i] = i + added;
            if (next < sites.size() && sites.get(next).insn() == i) {
                added += ADDED;
                next++;
            }
        }
        ByteBuffer out = ByteBuffer.allocate((n + added) * 8).order(ByteOrder.LITTLE_ENDIAN);
        int[] linkedIndex = new int[n + added];
        Arrays.fill(linkedIndex, -1);
        next = 0;
        for (int i = 0; i < n; i++) {
            int at = moved[i] * 8;
            out.put(at, linked.insns(), i * 8, 8);
            linkedIndex[moved[i]] = i;
            if (code.starts[i]) {
                retarget(program, code, i, moved, out, at);
            }
            if (next < sites.size() && sites.get(next).insn() == i) {
                Site s = sites.get(next++);
                count(out, at + 8, s.nullOnFailure(), lossArrayFd, 8 * slotOf.get(s.mapFd()));
            }
        }
        List<LinkedProgram.Placed> layout = linked.layout().stream()
                .map(p -> new LinkedProgram.Placed(p.function(), moved[p.start()])).toList();
        return new Rewritten(new LinkedProgram(out.array(), moveRecords(linked.funcInfo(), linked.funcInfoRecSize(), moved),
                linked.funcInfoRecSize(), moveRecords(linked.lineInfo(), linked.lineInfoRecSize(), moved),
                linked.lineInfoRecSize(), layout), linkedIndex);
    }

    /** Points a jump, BPF-to-BPF call or callback address at where its target instruction moved. */
    private static void retarget(String program, Code code, int i, int[] moved, ByteBuffer out, int at) {
        int opcode = code.opcode(i);
        int cls = Opcode.instructionClass(opcode);
        if (opcode == Opcode.LD_IMM64 && code.src(i) == Pseudo.FUNC
                || opcode == CALL && code.src(i) == Pseudo.CALL
                || opcode == (Opcode.JMP32 | Opcode.JA)) {
            out.putInt(at + 4, moved[i + 1 + code.imm(i)] - moved[i] - 1);
        } else if ((cls == Opcode.JMP || cls == Opcode.JMP32) && opcode != CALL && opcode != EXIT) {
            int off = moved[i + 1 + code.off(i)] - moved[i] - 1;
            if (off != (short) off) {
                throw new ObjectFormatException("program '" + program + "': the jump at instruction " + i
                        + " no longer fits its 16-bit offset once ring buffer losses are counted; load it with"
                        + " ObjectSpec.countRingBufLosses(false)");
            }
            out.putShort(at + 2, (short) off);
        }
    }

    private static void count(ByteBuffer out, int at, boolean nullOnFailure, int lossArrayFd, int offset) {
        int skip = Opcode.JMP | (nullOnFailure ? Opcode.JNE : Opcode.JEQ) | Opcode.K;
        out.put(at, (byte) skip).put(at + 1, (byte) 0).putShort(at + 2, (short) (ADDED - 1)).putInt(at + 4, 0);
        out.put(at + 8, (byte) Opcode.LD_IMM64).put(at + 9, (byte) (Pseudo.MAP_VALUE << 4 | R1))
                .putShort(at + 10, (short) 0).putInt(at + 12, lossArrayFd);
        out.putLong(at + 16, 0).putInt(at + 20, offset);
        out.put(at + 24, (byte) MOV64_K).put(at + 25, (byte) 2).putShort(at + 26, (short) 0).putInt(at + 28, 1);
        out.put(at + 32, (byte) ATOMIC_DW).put(at + 33, (byte) (2 << 4 | R1)).putShort(at + 34, (short) 0)
                .putInt(at + 36, Opcode.ADD);
    }

    /** func_info or line_info records (insn_off first) with each insn_off moved; null stays null. */
    private static byte[] moveRecords(byte[] records, int size, int[] moved) {
        if (records == null) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(records.clone()).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + size <= records.length; at += size) {
            b.putInt(at, moved[b.getInt(at)]);
        }
        return b.array();
    }

    /** A linked program's instruction slots, read in place. */
    private static final class Code {
        private final ByteBuffer insns;
        private final int slots;
        /** Whether a slot begins an instruction (the second slot of an ld_imm64 does not). */
        private final boolean[] starts;

        Code(byte[] bytes) {
            insns = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            slots = bytes.length / 8;
            starts = new boolean[slots];
            for (int i = 0; i < slots; i += opcode(i) == Opcode.LD_IMM64 ? 2 : 1) {
                starts[i] = true;
            }
        }

        int opcode(int i) {
            return insns.get(i * 8) & 0xff;
        }

        int dst(int i) {
            return insns.get(i * 8 + 1) & 0x0f;
        }

        int src(int i) {
            return (insns.get(i * 8 + 1) >> 4) & 0x0f;
        }

        short off(int i) {
            return insns.getShort(i * 8 + 2);
        }

        int imm(int i) {
            return insns.getInt(i * 8 + 4);
        }

        /** The instructions control can reach other than from the one before: jump and call targets, function starts. */
        boolean[] entered(List<LinkedProgram.Placed> layout) {
            boolean[] entered = new boolean[slots + 1];
            layout.forEach(p -> entered[p.start()] = true);
            for (int i = 0; i < slots; i++) {
                if (!starts[i]) {
                    continue;
                }
                int opcode = opcode(i);
                int cls = Opcode.instructionClass(opcode);
                int target = -1;
                if (opcode == Opcode.LD_IMM64 && src(i) == Pseudo.FUNC || opcode == CALL && src(i) == Pseudo.CALL
                        || opcode == (Opcode.JMP32 | Opcode.JA)) {
                    target = i + 1 + imm(i);
                } else if ((cls == Opcode.JMP || cls == Opcode.JMP32) && opcode != CALL && opcode != EXIT) {
                    target = i + 1 + off(i);
                }
                if (target >= 0 && target <= slots) {
                    entered[target] = true;
                }
            }
            return entered;
        }

        /** The map descriptor the ld_imm64 that last sets r1 before {@code call}, in its basic block, loads; else -1. */
        int mapInR1(int call, boolean[] entered) {
            for (int j = call - 1; j >= 0 && !entered[j + 1]; j--) {
                if (!starts[j]) {
                    continue;
                }
                if (opcode(j) == Opcode.LD_IMM64 && dst(j) == R1 && src(j) == Pseudo.MAP_FD) {
                    return imm(j);
                }
                if (writesR1(j)) {
                    break;
                }
            }
            return -1;
        }

        private boolean writesR1(int j) {
            int opcode = opcode(j);
            int cls = Opcode.instructionClass(opcode);
            boolean fetches = cls == Opcode.STX && Opcode.mode(opcode) == Opcode.ATOMIC && (imm(j) & Opcode.FETCH) != 0;
            return opcode == CALL
                    || dst(j) == R1 && (cls == Opcode.ALU || cls == Opcode.ALU64 || cls == Opcode.LD || cls == Opcode.LDX)
                    || fetches && src(j) == R1;
        }
    }
}
