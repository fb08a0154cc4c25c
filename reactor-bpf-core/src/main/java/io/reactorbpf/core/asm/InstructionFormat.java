package io.reactorbpf.core.asm;

/** Prints an instruction in the verifier log's notation; an opcode it cannot name prints as its raw fields. */
final class InstructionFormat {

    private InstructionFormat() {
    }

    static String format(Instruction i) {
        int op = i.opcode();
        String text = switch (Opcode.instructionClass(op)) {
            case Opcode.ALU, Opcode.ALU64 -> alu(i);
            case Opcode.LDX -> Opcode.mode(op) == Opcode.MEM
                    ? reg(i.dst()) + " = " + memory(i, i.src()) : null;
            case Opcode.STX -> store(i);
            case Opcode.ST -> Opcode.mode(op) == Opcode.MEM ? memory(i, i.dst()) + " = " + i.imm() : null;
            case Opcode.LD -> load(i);
            default -> jump(i);
        };
        return text != null ? text : String.format("invalid opcode 0x%02x (dst r%d, src r%d, off %d, imm %d)",
                op, i.dst(), i.src(), i.off(), i.imm());
    }

    private static String reg(int n) {
        return "r" + n;
    }

    private static String memory(Instruction i, int base) {
        return "*(" + Size.of(i.opcode()).cType() + " *)(r" + base + " " + signed(i.off()) + ")";
    }

    private static String signed(int n) {
        return n < 0 ? String.valueOf(n) : "+" + n;
    }

    private static String alu(Instruction i) {
        int op = i.opcode();
        boolean wide = Opcode.instructionClass(op) == Opcode.ALU64;
        String r = wide ? "r" : "w";
        String dst = r + i.dst();
        int code = Opcode.operation(op);
        if (code == Opcode.NEG) {
            return dst + " = -" + dst;
        }
        if (code == Opcode.END) {
            String swap = wide ? "bswap" : Opcode.source(op) == Opcode.TO_BE ? "be" : "le";
            return "r" + i.dst() + " = " + swap + i.imm() + " r" + i.dst();
        }
        AluOp alu = AluOp.of(code);
        if (alu == null) {
            return null;
        }
        String operand = Opcode.source(op) == Opcode.X ? r + i.src() : String.valueOf(i.imm());
        return dst + " " + alu.operator() + " " + operand;
    }

    private static String store(Instruction i) {
        int mode = Opcode.mode(i.opcode());
        if (mode == Opcode.MEM) {
            return memory(i, i.dst()) + " = r" + i.src();
        }
        if (mode != Opcode.ATOMIC) {
            return null;
        }
        String target = memory(i, i.dst());
        String src = reg(i.src());
        AluOp op = AluOp.of(i.imm() & ~Opcode.FETCH);
        if (i.imm() == Opcode.XCHG) {
            return src + " = atomic_xchg(" + target.substring(1) + ", " + src + ")";
        }
        if (i.imm() == Opcode.CMPXCHG) {
            return "r0 = atomic_cmpxchg(" + target.substring(1) + ", r0, " + src + ")";
        }
        if (op == null || op == AluOp.MOV) {
            return null;
        }
        if ((i.imm() & Opcode.FETCH) != 0) {
            return src + " = atomic_fetch_" + op.name().toLowerCase(java.util.Locale.ROOT) + "("
                    + target.substring(1) + ", " + src + ")";
        }
        return "lock " + target + " " + op.operator() + " " + src;
    }

    private static String load(Instruction i) {
        int op = i.opcode();
        if (op == Opcode.LD_IMM64) {
            String dst = reg(i.dst()) + " = ";
            return switch (i.src()) {
                case 0 -> dst + "0x" + Long.toHexString(i.imm64()) + " ll";
                case Pseudo.MAP_FD -> dst + "map_fd(" + i.imm() + ")";
                case Pseudo.MAP_VALUE -> dst + "map_value(fd " + i.imm() + ") + " + i.nextImm();
                case Pseudo.BTF_ID -> dst + "btf_id(" + i.imm() + ")";
                case Pseudo.FUNC -> dst + "func pc" + signed(i.imm());
                case Pseudo.MAP_IDX -> dst + "map_idx(" + i.imm() + ")";
                case Pseudo.MAP_IDX_VALUE -> dst + "map_idx_value(" + i.imm() + ") + " + i.nextImm();
                default -> null;
            };
        }
        String type = Size.of(op).cType();
        return switch (Opcode.mode(op)) {
            case Opcode.ABS -> "r0 = *(" + type + " *)skb[" + i.imm() + "]";
            case Opcode.IND -> "r0 = *(" + type + " *)skb[r" + i.src() + " " + signed(i.imm()) + "]";
            default -> null;
        };
    }

    private static String jump(Instruction i) {
        int op = i.opcode();
        boolean jmp32 = Opcode.instructionClass(op) == Opcode.JMP32;
        int code = Opcode.operation(op);
        if (!jmp32 && code == Opcode.JA) {
            return "goto pc" + signed(i.off());
        }
        if (!jmp32 && code == Opcode.EXIT) {
            return "exit";
        }
        if (!jmp32 && code == Opcode.CALL) {
            return switch (i.src()) {
                case 0 -> "call " + helper(i.imm());
                case Pseudo.CALL -> "call pc" + signed(i.imm());
                case Pseudo.KFUNC_CALL -> "call kfunc#" + i.imm() + (i.off() == 0 ? "" : " (btf fd_array[" + i.off() + "])");
                default -> null;
            };
        }
        JumpOp cond = JumpOp.of(code);
        if (cond == null) {
            return null;
        }
        String r = jmp32 ? "w" : "r";
        String operand = Opcode.source(op) == Opcode.X ? r + i.src() : "0x" + Integer.toHexString(i.imm());
        return "if " + r + i.dst() + " " + cond.comparison() + " " + operand + " goto pc" + signed(i.off());
    }

    private static String helper(int id) {
        BpfFunc f = BpfFunc.of(id);
        return f == null ? "#" + id : f.kernelName() + "#" + id;
    }
}
