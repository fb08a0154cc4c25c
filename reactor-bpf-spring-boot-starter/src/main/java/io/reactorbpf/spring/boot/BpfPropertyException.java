package io.reactorbpf.spring.boot;

import io.reactorbpf.core.BpfException;
import io.reactorbpf.core.object.ProgramLoadException;

/**
 * A {@code reactorbpf.*} property the application cannot start with: an object file that is not there, a global
 * variable or map the object does not have, a value that does not fit, an object the kernel refused. The message is
 * one line, the property then what is wrong with it; the library's exception, when there is one, is the cause and
 * keeps the whole story (a {@link ProgramLoadException}'s verifier log). {@link BpfFailureAnalyzer} turns it into
 * Spring Boot's start-up failure report.
 */
public final class BpfPropertyException extends BpfException {

    /** The full name of the property that is wrong. */
    private final String property;

    /**
     * {@code property} is wrong for the reason {@code cause} gives.
     *
     * @param property the property's full name
     * @param cause    the library's error, whose first line (and verifier refusal) the message repeats
     */
    public BpfPropertyException(String property, Throwable cause) {
        super(property + ": " + oneLine(cause), cause);
        this.property = property;
    }

    /**
     * {@code property} is wrong for {@code reason}.
     *
     * @param property the property's full name
     * @param reason   what is wrong with it and how to fix it
     */
    public BpfPropertyException(String property, String reason) {
        super(property + ": " + reason);
        this.property = property;
    }

    /**
     * The full name of the property, such as {@code reactorbpf.objects.execsnoop.globals.target_uid}.
     *
     * @return the property's name
     */
    public String property() {
        return property;
    }

    /** What {@code error} says in one line: its message's first line, and a verifier's refusal. */
    static String oneLine(Throwable error) {
        String message = error.getMessage();
        if (message == null || message.isBlank()) {
            return error.getClass().getSimpleName();
        }
        int nl = message.indexOf('\n');
        String first = (nl < 0 ? message : message.substring(0, nl)).strip();
        if (error instanceof ProgramLoadException p && !p.refusal().isEmpty()) {
            return first + " (verifier: " + p.refusal() + ")";
        }
        return first;
    }
}
