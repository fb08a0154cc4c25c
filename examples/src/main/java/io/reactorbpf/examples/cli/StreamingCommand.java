package io.reactorbpf.examples.cli;

import picocli.CommandLine;

/**
 * The frame of a streaming command: installs its {@link StopSignal}, runs its body (which calls
 * {@link StopSignal#attached()} once its programs are attached), reports a failure, an Error included, as one
 * line on stderr (exit 1), lets a usage error ({@link CommandLine.ParameterException}) through to the command
 * line, which prints it and exits 2, prints the {@link Tally} summary after a clean run (exit 0), and only then lets a
 * pending signal end the JVM. Runs on the command's thread.
 */
public final class StreamingCommand {

    /** What the command does until it is told to stop; it counts into the tally. */
    @FunctionalInterface
    public interface Body {
        void run(StopSignal stop, Tally tally) throws InterruptedException;
    }

    private StreamingCommand() {
    }

    /** Runs {@code body} for command {@code name} as {@code options} say; returns the exit code. */
    public static int run(String name, StreamingOptions options, Body body) throws InterruptedException {
        StopSignal stop = StopSignal.install(options.durationSeconds);
        Tally tally = new Tally(stop::attachedNanos);
        int code = 0;
        try {
            body.run(stop, tally);
        } catch (CommandLine.ParameterException e) {
            // a usage error found once the object was read (a --map it lacks): picocli prints it and exits 2
            code = CommandLine.ExitCode.USAGE;
            throw e;
        } catch (RuntimeException | Error e) {
            // an Error (a stack overflow, memory exhausted) is a failure too: one line, no success summary
            Failure.report(System.err, name, e, options.verbose);
            code = 1;
        } finally {
            if (code == 0) {
                tally.printSummary(System.err);
            }
            stop.released(code);
        }
        return code;
    }
}
