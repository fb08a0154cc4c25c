package io.reactorbpf.core.internal.elf;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One argument of a USDT probe as its stapsdt note specifies it on x86-64, in the three forms libbpf's USDT support
 * reads: a constant ({@code 4@$5}), a register ({@code -4@%edi}) and a value in memory at a register plus an offset
 * ({@code 8@-16(%rbp)}, {@code 8@(%rax)}). The size is in bytes, negative when the value is signed. Immutable.
 *
 * @param kind     which form
 * @param size     the value's size in bytes: 1, 2, 4 or 8
 * @param signed   whether the value is signed (a negative size in the note)
 * @param register the register's name as written ({@code edi}, {@code rbp}); empty for a constant
 * @param value    the constant, or the memory offset from the register; 0 for a register
 */
public record UsdtArgument(Kind kind, int size, boolean signed, String register, long value) {

    /** How the argument's value is found. */
    public enum Kind {
        /** The value itself is in the note. */
        CONSTANT,
        /** The value is in a register at the probe. */
        REGISTER,
        /** The value is in memory at a register's value plus an offset. */
        REGISTER_DEREF
    }

    private static final Pattern ARGUMENT = Pattern.compile(
            "(-?\\d+)@(?:\\$(-?\\d+)|%([a-z][a-z0-9]*)|(-?\\d*)\\(%([a-z][a-z0-9]*)\\))");

    /**
     * The arguments of {@code specification}, separated by spaces.
     *
     * @throws IllegalArgumentException naming the argument that is in none of the forms, or whose size is not
     *     1, 2, 4 or 8 bytes
     */
    public static List<UsdtArgument> parse(String specification) {
        List<UsdtArgument> arguments = new ArrayList<>();
        for (String arg : specification.trim().split("\\s+")) {
            if (arg.isEmpty()) {
                continue;
            }
            Matcher m = ARGUMENT.matcher(arg);
            if (!m.matches()) {
                throw new IllegalArgumentException("USDT argument '" + arg + "' is none of SIZE@$CONSTANT,"
                        + " SIZE@%REGISTER and SIZE@OFFSET(%REGISTER)");
            }
            int size = Integer.parseInt(m.group(1));
            int bytes = Math.abs(size);
            if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) {
                throw new IllegalArgumentException("USDT argument '" + arg + "' has size " + size
                        + "; a size is 1, 2, 4 or 8 bytes, negative when signed");
            }
            if (m.group(2) != null) {
                arguments.add(new UsdtArgument(Kind.CONSTANT, bytes, size < 0, "", Long.parseLong(m.group(2))));
            } else if (m.group(3) != null) {
                arguments.add(new UsdtArgument(Kind.REGISTER, bytes, size < 0, m.group(3), 0));
            } else {
                long offset = m.group(4).isEmpty() ? 0 : Long.parseLong(m.group(4));
                arguments.add(new UsdtArgument(Kind.REGISTER_DEREF, bytes, size < 0, m.group(5), offset));
            }
        }
        return arguments;
    }
}
