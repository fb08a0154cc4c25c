package io.reactorbpf.core.object;

/** A program lies in an ELF section whose name does not say which kind of program it is. */
public final class UnknownSectionException extends ObjectFormatException {

    private final String section;

    public UnknownSectionException(String section, String program, String supported) {
        super("program '" + program + "' is in section '" + section + "', which names no known program type; "
                + "use SEC(\"...\") with one of: " + supported);
        this.section = section;
    }

    /** The section name that was not understood. */
    public String section() {
        return section;
    }
}
