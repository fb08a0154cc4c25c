package io.reactorbpf.core.object;

/**
 * A program lies in an ELF section whose name does not say which kind of program it is.
 *
 * @since 0.1
 */
public final class UnknownSectionException extends ObjectFormatException {

    /** The section name, as {@link #section()} returns it. */
    private final String section;

    /**
     * A program in an unknown section.
     *
     * @param section the section's name
     * @param program the program's name
     * @param supported the section prefixes the loader knows, for the message
     */
    public UnknownSectionException(String section, String program, String supported) {
        super("program '" + program + "' is in section '" + section + "', which names no known program type; "
                + "use SEC(\"...\") with one of: " + supported);
        this.section = section;
    }

    /**
     * The section name that was not understood.
     *
     * @return the name, with a leading '?' when it had one
     */
    public String section() {
        return section;
    }
}
