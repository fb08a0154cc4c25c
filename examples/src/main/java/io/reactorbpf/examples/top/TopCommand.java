package io.reactorbpf.examples.top;

import io.reactorbpf.examples.cli.PerfSession;
import io.reactorbpf.examples.cli.StreamingCommand;
import io.reactorbpf.examples.cli.StreamingOptions;
import io.reactorbpf.examples.exec.ExecSignal;
import io.reactorbpf.examples.exec.ExecSnoopProgram;
import io.reactorbpf.perf.PerfStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

/** {@code top}: a live table of the commands exec'd most often, one table per interval. */
@Command(name = "top", mixinStandardHelpOptions = true,
        description = "Print the top commands by exec count per interval, live.")
public final class TopCommand implements Callable<Integer> {

    private static final String NAME = "top";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    /** ANSI: cursor home, clear screen; only when stdout is a terminal. */
    private static final String CLEAR = "\033[H\033[2J";

    @Option(names = "--interval", paramLabel = "SECONDS", description = "Seconds per table (default: 1).")
    double intervalSeconds = 1;

    @Option(names = "--limit", paramLabel = "N", description = "Rows per table (default: 10).")
    int limit = 10;

    @Mixin
    StreamingOptions options;

    @Override
    public Integer call() throws InterruptedException {
        PrintStream out = System.out;
        boolean terminal = System.console() != null;
        Duration interval = Duration.ofMillis(Math.max(1, Math.round(intervalSeconds * 1000)));
        return StreamingCommand.run(NAME, options, (stop, tally) -> {
            try (ExecSnoopProgram program = ExecSnoopProgram.load(null)) {
                stop.attached();
                PerfStream<ExecSignal> signals = program.signals();
                PerfSession.run(signals, ExecRanking.of(signals, interval, limit), ranking -> {
                    tally.delivered(ranking.execs());
                    tally.lost(ranking.lost());
                    print(out, terminal, ranking);
                }, stop);
            }
        });
    }

    private void print(PrintStream out, boolean terminal, ExecRanking.Ranking ranking) {
        StringBuilder table = new StringBuilder(terminal ? CLEAR : "");
        table.append(String.format("%s  execs=%d lost=%d  top %d per %ss%n", LocalTime.now().format(CLOCK),
                ranking.execs(), ranking.lost(), limit, intervalSeconds));
        table.append(String.format("%7s  %s%n", "EXECS", "COMMAND"));
        for (ExecRanking.Row row : ranking.top()) {
            table.append(String.format("%7d  %s%n", row.execs(), row.command()));
        }
        out.print(table.append(System.lineSeparator()));
        out.flush();
    }
}
