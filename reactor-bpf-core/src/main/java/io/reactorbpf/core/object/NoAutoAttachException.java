package io.reactorbpf.core.object;

import io.reactorbpf.core.attach.AttachException;

/**
 * {@link BpfProgram#attach()} was asked to attach a program whose section names nothing to attach to (socket,
 * xdp, tc, perf_event, a bare "uprobe"). The message names the program and section and says what to call instead.
 *
 * @since 0.1
 */
public final class NoAutoAttachException extends AttachException {

    /** The program's name, as {@link #program()} returns it. */
    private final String program;
    /** Its section's name, as {@link #section()} returns it. */
    private final String section;

    /**
     * The refusal for a program without an auto-attach target.
     *
     * @param program the program's name
     * @param section its section's name
     * @param instead what to call instead, such as the attach class that takes its target
     */
    public NoAutoAttachException(String program, String section, String instead) {
        super("program '" + program + "' in section '" + section + "' has no auto-attach target: " + instead);
        this.program = program;
        this.section = section;
    }

    /**
     * The program that has no auto-attach target.
     *
     * @return its name
     */
    public String program() {
        return program;
    }

    /**
     * The section that names nothing to attach to.
     *
     * @return the section's name, such as {@code xdp} or {@code uprobe}
     */
    public String section() {
        return section;
    }
}
