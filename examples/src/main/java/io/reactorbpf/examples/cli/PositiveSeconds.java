package io.reactorbpf.examples.cli;

import picocli.CommandLine;

/** Converts {@code --duration}: a whole number of seconds, at least 1 (leave the option out to run until Ctrl-C). */
public final class PositiveSeconds implements CommandLine.ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        return parse(value, " (leave --duration out to run until Ctrl-C)");
    }

    /**
     * A whole number of seconds, at least 1; {@code hint} ends the message that refuses a smaller one.
     *
     * @throws CommandLine.TypeConversionException naming what is wrong with {@code value}
     */
    public static long parse(String value, String hint) {
        long seconds;
        try {
            seconds = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number of seconds");
        }
        if (seconds <= 0) {
            throw new CommandLine.TypeConversionException("must be at least 1 second, not " + value + hint);
        }
        return seconds;
    }
}
