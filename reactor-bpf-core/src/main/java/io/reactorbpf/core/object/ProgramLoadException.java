package io.reactorbpf.core.object;

import io.reactorbpf.core.BpfException;
import io.reactorbpf.core.sys.VerifierException;

/**
 * The kernel refused to load a program. The message names the program and its section, explains a CO-RE
 * relocation that could not be resolved when the refused instruction is one, and ends with the whole verifier
 * log; the {@link VerifierException} is the cause.
 *
 * @since 0.1
 */
public final class ProgramLoadException extends BpfException {

    /** The program's name, as {@link #program()} returns it. */
    private final String program;
    /** Its section's name, as {@link #section()} returns it. */
    private final String section;
    /** The verifier log, as {@link #log()} returns it. */
    private final String log;

    /**
     * The refusal of {@code program}.
     *
     * @param program the program's name
     * @param section its section's name
     * @param explanation what the loader knows about the refused instruction, such as an unresolved CO-RE
     *        relocation; empty when nothing
     * @param cause the kernel's refusal, with the verifier log
     */
    public ProgramLoadException(String program, String section, String explanation, VerifierException cause) {
        super("program '" + program + "' in section '" + section + "' was rejected: " + cause.errno()
                + (explanation.isEmpty() ? "" : "\n" + explanation)
                + (cause.log().isEmpty() ? "" : "\n--- verifier log ---\n" + cause.log()), cause);
        this.program = program;
        this.section = section;
        this.log = cause.log();
    }

    /**
     * The program the kernel refused.
     *
     * @return its name
     */
    public String program() {
        return program;
    }

    /**
     * The refused program's section.
     *
     * @return the section's name
     */
    public String section() {
        return section;
    }

    /**
     * The verifier log, complete.
     *
     * @return the log, empty when the kernel wrote none
     */
    public String log() {
        return log;
    }

    /**
     * The verifier's refusal: the last line of its log before the statistics it ends with ("processed N insns",
     * "verification time", "stack depth"), which says what it refused; empty when the log is.
     *
     * @return the refusing line, or "" without a log
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
