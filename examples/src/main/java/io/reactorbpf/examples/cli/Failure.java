package io.reactorbpf.examples.cli;

import io.reactorbpf.core.object.ProgramLoadException;

import java.io.PrintStream;

/**
 * Turns an error into the one line a command prints on stderr: the exception's own first line, and for a
 * verifier rejection the verifier's last words, which say what it refused. Stateless.
 */
public final class Failure {

    private Failure() {
    }

    /** One line naming what went wrong, never empty. */
    public static String describe(Throwable error) {
        if (error instanceof ProgramLoadException p) {
            return firstLine(p.getMessage()) + (p.refusal().isEmpty() ? "" : " (verifier: " + p.refusal() + ")");
        }
        String message = error.getMessage();
        String what = message == null || message.isBlank() ? error.getClass().getSimpleName() : firstLine(message);
        // an Error's message alone ("Java heap space") does not say what happened
        return error instanceof Error ? error.getClass().getSimpleName() + (what.equals(error.getClass().getSimpleName())
                ? "" : ": " + what) + " (--verbose prints the stack trace)" : what;
    }

    /** Prints {@code command: <one line>} on {@code err}, and the stack trace too when {@code verbose}. */
    public static void report(PrintStream err, String command, Throwable error, boolean verbose) {
        err.println(command + ": " + describe(error));
        if (verbose) {
            error.printStackTrace(err);
        }
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
