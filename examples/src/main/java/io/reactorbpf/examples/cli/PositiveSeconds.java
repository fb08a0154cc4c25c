package io.reactorbpf.examples.cli;

import picocli.CommandLine;

/** Converts {@code --duration}: a whole number of seconds, at least 1 (leave the option out to run until Ctrl-C). */
public final class PositiveSeconds implements CommandLine.ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        long seconds;
        try {
            seconds = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number of seconds");
        }
        if (seconds <= 0) {
            throw new CommandLine.TypeConversionException("must be at least 1 second, not " + value
                    + " (leave --duration out to run until Ctrl-C)");
        }
        return seconds;
    }
}
