package io.reactorbpf.core.object;

import io.reactorbpf.core.attach.AttachException;

/**
 * {@link BpfProgram#attach()} was asked to attach a program whose section names nothing to attach to (socket,
 * xdp, tc, perf_event, a bare "uprobe"). The message names the program and section and says what to call instead.
 */
public final class NoAutoAttachException extends AttachException {

    private final String program;
    private final String section;

    public NoAutoAttachException(String program, String section, String instead) {
        super("program '" + program + "' in section '" + section + "' has no auto-attach target: " + instead);
        this.program = program;
        this.section = section;
    }

    public String program() {
        return program;
    }

    public String section() {
        return section;
    }
}
