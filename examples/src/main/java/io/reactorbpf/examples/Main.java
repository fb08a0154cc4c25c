package io.reactorbpf.examples;

import io.reactorbpf.examples.cli.Failure;
import io.reactorbpf.examples.exec.ExecSnoop;
import io.reactorbpf.examples.run.RunCommand;
import io.reactorbpf.examples.run.ShipCommand;
import io.reactorbpf.examples.serve.ServeCommand;
import io.reactorbpf.examples.top.TopCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code reactor-bpf} command line: runnable tools built on the library. The streaming commands start no
 * framework; only {@code serve} starts Spring. Every failure, a usage error included, is one line on stderr and a
 * non-zero exit: 2 for usage errors, 1 for the rest.
 */
@Command(name = "reactor-bpf", mixinStandardHelpOptions = true, version = "reactor-bpf 0.1.0",
        description = "Stream kernel events from BPF programs into Project Reactor.",
        subcommands = {RunCommand.class, ShipCommand.class, ExecSnoop.class, TopCommand.class, ServeCommand.class})
public final class Main implements Runnable {

    /** The exit code of a command line that cannot be run as written. */
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the one-line error contract installed. */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new Main());
        line.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println(failed.getCommandName() + ": " + firstLine(e.getMessage()) + " (see "
                    + failed.getCommandSpec().qualifiedName() + " --help)");
            return USAGE;
        });
        line.setExecutionExceptionHandler((e, failed, parsed) -> {
            failed.getErr().println(failed.getCommandName() + ": " + Failure.describe(e));
            return 1;
        });
        return line;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is required: run, execsnoop, top or serve");
    }

    private static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
