package io.reactorbpf.examples;

import io.reactorbpf.examples.cli.StreamingCommand;
import io.reactorbpf.examples.cli.StreamingOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line's one contract: any failure, a usage error included, is one line on stderr naming the problem,
 * and a non-zero exit (2 for usage errors); options are checked before anything is loaded. Child processes, as a
 * user runs the tool.
 */
class CommandLineContractTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "''                                      | reactor-bpf: a command is required: run, execsnoop, top or serve (see reactor-bpf --help)",
            "frob                                    | reactor-bpf: Unmatched argument at index 0: 'frob' (see reactor-bpf --help)",
            "run                                     | run: Missing required parameter: 'OBJECT' (see reactor-bpf run --help)",
            "run x.o --pages abc                     | run: Invalid value for option '--pages': 'abc' is not a number of pages (see reactor-bpf run --help)",
            "run x.o --pages 3                       | run: Invalid value for option '--pages': must be a power of two from 1 to 262144, not 3 (see reactor-bpf run --help)",
            "run x.o --set x                         | run: Invalid value for option '--set' (NAME=VALUE): --set takes NAME=VALUE, got 'x' (see reactor-bpf run --help)",
            "run x.o --attach p=uprobe               | run: Invalid value for option '--attach' (PROG=KIND:TARGET): expected PROG=KIND:TARGET (e.g. handle_entry=uprobe:libc.so.6:getaddrinfo), got 'p=uprobe' (see reactor-bpf run --help)",
            "run x.o --attach p=fentry:f             | run: Invalid value for option '--attach' (PROG=KIND:TARGET): 'fentry' is not an attach kind; use one of tracepoint, tp, raw_tp, raw_tracepoint, kprobe, kretprobe, uprobe, uretprobe, usdt, perf_event (see reactor-bpf run --help)",
            "run x.o --max-entries start             | run: Invalid value for option '--max-entries' (MAP=N): expected MAP=N, got 'start' (see reactor-bpf run --help)",
            "run x.o --max-entries start=0           | run: Invalid value for option '--max-entries' (MAP=N): a map size is from 1 to 4294967295, not 0 (see reactor-bpf run --help)",
            "run x.o --value-size stacks=8k          | run: Invalid value for option '--value-size' (MAP=N): '8k' is not a decimal or 0x-hex number (see reactor-bpf run --help)",
            "run x.o --duration 0                    | run: Invalid value for option '--duration': must be at least 1 second, not 0 (leave --duration out to run until Ctrl-C) (see reactor-bpf run --help)",
            "run x.o --interval 0                    | run: Invalid value for option '--interval': must be at least 1 second, not 0 (see reactor-bpf run --help)",
            "run x.o --limit 0                       | run: Invalid value for option '--limit': must be at least 1 row, not 0 (see reactor-bpf run --help)",
            "run x.o --linear 5                      | run: Invalid value for option '--linear': --linear takes BASE,STEP (two whole numbers), got '5' (see reactor-bpf run --help)",
            "run x.o --linear 0,0                    | run: Invalid value for option '--linear': a slot's STEP must be at least 1, not 0 (see reactor-bpf run --help)",
            "execsnoop --duration -3                 | execsnoop: Invalid value for option '--duration': must be at least 1 second, not -3 (leave --duration out to run until Ctrl-C) (see reactor-bpf execsnoop --help)",
            "top --frob                              | top: Unknown option: '--frob' (see reactor-bpf top --help)"})
    void aUsageErrorIsOneLineAndExitTwo(String args, String line) throws Exception {
        String[] argv = args.isBlank() ? new String[0] : args.trim().split("\\s+");
        try (CommandProcess p = CommandProcess.start(argv)) {
            assertEquals(Main.USAGE, p.exitCode(TIMEOUT), p.stderrLines().toString());
            assertEquals(List.of(line), p.stderrLines());
            assertEquals(List.of(), p.stdoutLines());
        }
    }

    @Test
    void anErrorIsOneLineExitOneAndNoSuccessSummary() throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            code = StreamingCommand.run("probe", new StreamingOptions(), (stop, tally) -> {
                stop.attached();
                tally.delivered();
                throw new StackOverflowError();
            });
        } finally {
            System.setErr(err);
        }
        assertEquals(1, code);
        assertEquals("probe: StackOverflowError (--verbose prints the stack trace)\n",
                captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpIsNoFailure() throws Exception {
        try (CommandProcess p = CommandProcess.start("run", "--help")) {
            assertEquals(0, p.exitCode(TIMEOUT));
            assertTrue(p.stdoutLines().get(0).startsWith("Usage: reactor-bpf run"), p.stdoutLines().toString());
        }
    }
}
