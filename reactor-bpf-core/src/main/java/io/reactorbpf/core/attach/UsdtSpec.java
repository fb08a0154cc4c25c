package io.reactorbpf.core.attach;

import io.reactorbpf.core.internal.elf.UsdtArgument;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/**
 * One value of the {@code __bpf_usdt_specs} map that libbpf's {@code bpf/usdt.bpf.h} declares: how the program's
 * {@code bpf_usdt_arg()} finds each argument of a probe in the x86-64 {@code struct pt_regs} it runs with, and the
 * cookie {@code bpf_usdt_cookie()} returns. Immutable.
 *
 * <p>Layout ({@code struct __bpf_usdt_spec}, 208 bytes): 12 argument specs of 16 bytes ({@code u64 val_off},
 * {@code enum arg_type} as u32, {@code short reg_off}, {@code bool arg_signed}, {@code char arg_bitshift}), then
 * {@code u64 usdt_cookie} at 192 and {@code short arg_cnt} at 200.
 *
 * @param arguments the probe's arguments, at most {@link #MAX_ARGUMENTS}
 * @param cookie    what the program's bpf_usdt_cookie() returns
 */
record UsdtSpec(List<UsdtArgument> arguments, long cookie) {

    /** BPF_USDT_MAX_ARG_CNT. */
    static final int MAX_ARGUMENTS = 12;
    /** sizeof(struct __bpf_usdt_spec). */
    static final int SIZE = 208;

    private static final int ARG_SIZE = 16;
    private static final int COOKIE_AT = MAX_ARGUMENTS * ARG_SIZE;
    private static final int COUNT_AT = COOKIE_AT + 8;

    /** offsetof(struct pt_regs, REG) on x86-64, by the 64-bit register's name. */
    private static final Map<String, Integer> PT_REGS = Map.ofEntries(
            Map.entry("r15", 0), Map.entry("r14", 8), Map.entry("r13", 16), Map.entry("r12", 24),
            Map.entry("rbp", 32), Map.entry("rbx", 40), Map.entry("r11", 48), Map.entry("r10", 56),
            Map.entry("r9", 64), Map.entry("r8", 72), Map.entry("rax", 80), Map.entry("rcx", 88),
            Map.entry("rdx", 96), Map.entry("rsi", 104), Map.entry("rdi", 112), Map.entry("rip", 128),
            Map.entry("rsp", 152));

    UsdtSpec {
        arguments = List.copyOf(arguments);
        if (arguments.size() > MAX_ARGUMENTS) {
            throw new AttachException("a USDT probe with " + arguments.size() + " arguments has more than the "
                    + MAX_ARGUMENTS + " usdt.bpf.h reads");
        }
    }

    /** The map value, little-endian as the x86-64 kernel reads it. */
    byte[] bytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < arguments.size(); i++) {
            UsdtArgument a = arguments.get(i);
            int at = i * ARG_SIZE;
            b.putLong(at, a.value());
            b.putInt(at + 8, argType(a.kind()));
            b.putShort(at + 12, (short) (a.kind() == UsdtArgument.Kind.CONSTANT ? 0 : ptRegsOffset(a.register())));
            b.put(at + 14, (byte) (a.signed() ? 1 : 0));
            // bits bpf_usdt_arg() clears (or sign-extends) above a value of fewer than 8 bytes
            b.put(at + 15, (byte) (64 - 8 * a.size()));
        }
        b.putLong(COOKIE_AT, cookie);
        b.putShort(COUNT_AT, (short) arguments.size());
        return b.array();
    }

    /** enum __bpf_usdt_arg_type. */
    private static int argType(UsdtArgument.Kind kind) {
        return switch (kind) {
            case CONSTANT -> 0;
            case REGISTER -> 1;
            case REGISTER_DEREF -> 2;
        };
    }

    /**
     * Where the 64-bit register that {@code register} names or is part of ({@code edi}, {@code r8d}, {@code al})
     * sits in {@code struct pt_regs}: bpf_usdt_arg() reads those 8 bytes and keeps the argument's low bytes.
     */
    static int ptRegsOffset(String register) {
        Integer offset = PT_REGS.get(fullRegister(register));
        if (offset == null) {
            throw new AttachException("USDT argument register '%" + register + "' is not an x86-64 general-purpose"
                    + " register that struct pt_regs holds");
        }
        return offset;
    }

    private static String fullRegister(String r) {
        if (r.matches("r(8|9|1[0-5])[dwb]?")) {
            return r.replaceFirst("[dwb]$", "");
        }
        return switch (r) {
            case "eax", "ax", "al" -> "rax";
            case "ebx", "bx", "bl" -> "rbx";
            case "ecx", "cx", "cl" -> "rcx";
            case "edx", "dx", "dl" -> "rdx";
            case "esi", "si", "sil" -> "rsi";
            case "edi", "di", "dil" -> "rdi";
            case "ebp", "bp", "bpl" -> "rbp";
            case "esp", "sp", "spl" -> "rsp";
            case "eip", "ip" -> "rip";
            default -> r;
        };
    }
}
