package io.reactorbpf.examples;

import io.reactorbpf.examples.exec.ExecSnoop;
import io.reactorbpf.examples.run.RunCommand;
import io.reactorbpf.examples.serve.ServeCommand;
import io.reactorbpf.examples.top.TopCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code reactor-bpf} command line: runnable tools built on the library. The streaming commands start no
 * framework; only {@code serve} starts Spring.
 */
@Command(name = "reactor-bpf", mixinStandardHelpOptions = true, version = "reactor-bpf 0.1.0",
        description = "Stream kernel events from BPF programs into Project Reactor.",
        subcommands = {RunCommand.class, ExecSnoop.class, TopCommand.class, ServeCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
