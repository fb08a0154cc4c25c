package io.reactorbpf.examples.run;

import io.reactorbpf.examples.cli.PositiveSeconds;
import picocli.CommandLine;

/** Converts {@code --interval}: a whole number of seconds between map snapshots, at least 1. */
final class IntervalSeconds implements CommandLine.ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        return PositiveSeconds.parse(value, "");
    }
}
