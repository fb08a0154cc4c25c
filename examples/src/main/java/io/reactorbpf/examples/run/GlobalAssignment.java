package io.reactorbpf.examples.run;

import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.object.GlobalVariable;
import io.reactorbpf.core.object.ObjectSpec;
import io.reactorbpf.core.object.VariableException;

import java.math.BigInteger;
import java.util.stream.Collectors;

/**
 * One {@code --set NAME=VALUE}: a global variable of the object (.rodata, .data, .bss) and the text of its new
 * value, read by the variable's BTF type: a char array takes the text as a string, a bool takes true/false (or
 * 1/0), an integer takes a decimal or 0x-hexadecimal number, checked against the type's range, and an enum
 * takes one of its enumerators' names or such a number. Immutable.
 */
record GlobalAssignment(String name, String value) {

    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger S64_MIN = BigInteger.valueOf(Long.MIN_VALUE);

    /** Reads {@code NAME=VALUE}; picocli reports the exception's message as a usage error. */
    static GlobalAssignment parse(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--set takes NAME=VALUE, got '" + text + "'");
        }
        return new GlobalAssignment(text.substring(0, eq), text.substring(eq + 1));
    }

    /**
     * Sets the variable in {@code spec}. Throws a {@link VariableException} naming the variable when the object
     * has none by that name (listing those it has) or when the value does not fit its type.
     */
    void applyTo(ObjectSpec spec) {
        GlobalVariable variable = spec.variable(name);
        String type = variable.typeName();
        if (type.contains("[")) {
            variable.set(value);
        } else if (type.endsWith("bool") || type.endsWith("_Bool")) {
            variable.set(bool(variable));
        } else if (variable.type().orElse(null) instanceof BtfType.Enumeration e && !numeric()) {
            variable.set(enumerator(variable, e));
        } else {
            variable.set(integer(variable));
        }
    }

    private boolean numeric() {
        return !value.isEmpty() && (Character.isDigit(value.charAt(0)) || value.charAt(0) == '-');
    }

    private long enumerator(GlobalVariable variable, BtfType.Enumeration type) {
        for (BtfType.Enumerator member : type.values()) {
            if (member.name().equals(value)) {
                return member.value();
            }
        }
        throw new VariableException("variable '" + name + "' is " + variable.typeName() + "; give one of "
                + type.values().stream().map(BtfType.Enumerator::name).collect(Collectors.joining(", "))
                + " or a number, not '" + value + "'");
    }

    private boolean bool(GlobalVariable variable) {
        return switch (value) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new VariableException("variable '" + name + "' is " + variable.typeName()
                    + "; give true or false, not '" + value + "'");
        };
    }

    /** The number's 64 bits; the variable checks that they fit its size and signedness. */
    private long integer(GlobalVariable variable) {
        BigInteger n;
        try {
            boolean negative = value.startsWith("-");
            String digits = negative ? value.substring(1) : value;
            boolean hex = digits.startsWith("0x") || digits.startsWith("0X");
            n = new BigInteger(hex ? digits.substring(2) : digits, hex ? 16 : 10);
            n = negative ? n.negate() : n;
        } catch (NumberFormatException e) {
            throw new VariableException("variable '" + name + "' is " + variable.typeName()
                    + "; give a decimal or 0x-hexadecimal integer, not '" + value + "'");
        }
        if (n.compareTo(S64_MIN) < 0 || n.compareTo(U64_MAX) > 0) {
            throw new VariableException("variable '" + name + "' (" + variable.typeName() + ") cannot hold " + value
                    + ": it is wider than 64 bits");
        }
        return n.longValue();
    }
}
