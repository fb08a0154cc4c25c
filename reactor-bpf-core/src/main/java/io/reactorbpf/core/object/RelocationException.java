package io.reactorbpf.core.object;

/**
 * An instruction refers to something the object does not provide: a map that is not defined or not created, a
 * function or symbol that does not exist. Names the program, the instruction and the symbol.
 *
 * @since 0.1
 */
public final class RelocationException extends ObjectFormatException {

    /**
     * A relocation to something missing.
     *
     * @param program the program holding the instruction
     * @param instruction the index of the instruction that refers to it
     * @param what what it refers to and why that cannot be found
     */
    public RelocationException(String program, int instruction, String what) {
        super("program '" + program + "' instruction " + instruction + ": " + what);
    }
}
