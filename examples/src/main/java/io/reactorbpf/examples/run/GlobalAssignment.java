package io.reactorbpf.examples.run;

import io.reactorbpf.core.object.GlobalVariable;
import io.reactorbpf.core.object.ObjectSpec;
import io.reactorbpf.core.object.VariableException;

/**
 * One {@code --set NAME=VALUE}: a global variable of the object (.rodata, .data, .bss) and the text of its new
 * value, which {@link GlobalVariable#assign(String)} reads by the variable's BTF type (a string, true/false, an
 * integer, an enumerator's name). Immutable.
 */
record GlobalAssignment(String name, String value) {

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
        spec.variable(name).assign(value);
    }
}
