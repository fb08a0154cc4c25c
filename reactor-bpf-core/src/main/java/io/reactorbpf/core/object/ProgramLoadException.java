package io.reactorbpf.core.object;

import io.reactorbpf.core.BpfException;
import io.reactorbpf.core.sys.VerifierException;

/**
 * The kernel refused to load a program. The message names the program and its section, explains a CO-RE
 * relocation that could not be resolved when the refused instruction is one, and ends with the whole verifier
 * log; the {@link VerifierException} is the cause.
 */
public final class ProgramLoadException extends BpfException {

    private final String program;
    private final String section;
    private final String log;

    public ProgramLoadException(String program, String section, String explanation, VerifierException cause) {
        super("program '" + program + "' in section '" + section + "' was rejected: " + cause.errno()
                + (explanation.isEmpty() ? "" : "\n" + explanation)
                + (cause.log().isEmpty() ? "" : "\n--- verifier log ---\n" + cause.log()), cause);
        this.program = program;
        this.section = section;
        this.log = cause.log();
    }

    public String program() {
        return program;
    }

    public String section() {
        return section;
    }

    /** The verifier log, complete. */
    public String log() {
        return log;
    }

    /**
     * The verifier's refusal: the last line of its log before the statistics it ends with ("processed N insns",
     * "verification time", "stack depth"), which says what it refused; empty when the log is.
     */
    public String refusal() {
        String[] lines = log.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (!line.isEmpty() && !line.startsWith("processed ") && !line.startsWith("verification time")
                    && !line.startsWith("stack depth")) {
                return line;
            }
        }
        return "";
    }
}
