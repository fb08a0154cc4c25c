package io.reactorbpf.examples.cli;

import picocli.CommandLine.Option;

/**
 * The options every streaming command takes ({@code @Mixin}): how long it runs and whether its errors print their
 * stack traces. Set by picocli on the command's thread before the command runs; read by {@link StreamingCommand}.
 */
public final class StreamingOptions {

    @Option(names = "--duration", paramLabel = "SECONDS", converter = PositiveSeconds.class,
            description = "Stop this many seconds after the programs are attached (default: Ctrl-C).")
    long durationSeconds;

    @Option(names = "--verbose", description = "Print stack traces of errors.")
    boolean verbose;
}
