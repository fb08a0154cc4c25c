package io.reactorbpf.examples.exec;

import io.reactorbpf.examples.cli.JsonLines;
import io.reactorbpf.examples.cli.PerfSession;
import io.reactorbpf.examples.cli.StreamingCommand;
import io.reactorbpf.examples.cli.StreamingOptions;
import io.reactorbpf.perf.PerfStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.concurrent.Callable;

/** {@code execsnoop}: every exec on the machine as it happens, as a table or as JSON lines. */
@Command(name = "execsnoop", mixinStandardHelpOptions = true,
        description = "Print process execs live (PID, PPID, UID, COMM, ARGS) from the bundled BPF program.")
public final class ExecSnoop implements Callable<Integer> {

    private static final String NAME = "execsnoop";
    private static final String ROW = "%-8s %-8s %-6s %-16s %s%n";

    @Option(names = "--uid", paramLabel = "U", description = "Only execs by this user id.")
    Long uid;

    @Option(names = "--json", description = "One JSON object per line instead of a table.")
    boolean json;

    @Mixin
    StreamingOptions options;

    @Override
    public Integer call() throws InterruptedException {
        return StreamingCommand.run(NAME, options, (stop, tally) -> {
            try (JsonLines lines = JsonLines.stdout();
                 ExecSnoopProgram program = ExecSnoopProgram.load(uid)) {
                stop.attached();
                PrintStream table = System.out;
                if (!json) {
                    table.printf(ROW, "PID", "PPID", "UID", "COMM", "ARGS");
                }
                PerfStream<ExecSignal> signals = program.signals();
                PerfSession.run(signals, signals, signal -> {
                    if (signal instanceof ExecEvent) {
                        tally.delivered();
                    } else if (signal instanceof Lost l) {
                        tally.lost(l.count());
                    }
                    if (json) {
                        lines.write(g -> ExecJson.write(g, signal));
                    } else if (signal instanceof ExecEvent e) {
                        table.printf(ROW, e.pid(), e.ppid(), Integer.toUnsignedString(e.uid()), e.comm(),
                                String.join(" ", e.args()));
                    }
                }, stop);
            }
        });
    }
}
