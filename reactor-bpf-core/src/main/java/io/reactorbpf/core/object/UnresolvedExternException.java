package io.reactorbpf.core.object;

import io.reactorbpf.core.BpfException;

/**
 * A {@code __ksym} extern that a program uses could not be resolved on the running kernel: the kernel's BTF has no
 * such variable or function (or one of an incompatible type), or {@code /proc/kallsyms} no such symbol (or only
 * address 0, when kernel.kptr_restrict hides addresses). Thrown by {@link ObjectSpec#load()} before the program is
 * loaded; the message names the program, the extern and where it was looked for. A {@code __weak} extern that is
 * missing reads as 0 instead.
 *
 * @since 0.1
 */
public final class UnresolvedExternException extends BpfException {

    /** The extern's name, as {@link #symbol()} returns it. */
    private final String symbol;

    /**
     * An unresolved extern.
     *
     * @param symbol the extern's name
     * @param message the program, the extern and where it was looked for
     */
    public UnresolvedExternException(String symbol, String message) {
        super(message);
        this.symbol = symbol;
    }

    /**
     * The extern's name.
     *
     * @return the name as the program declares it
     */
    public String symbol() {
        return symbol;
    }
}
