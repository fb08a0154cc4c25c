package io.reactorbpf.examples.run;

import picocli.CommandLine;

/** Converts {@code --limit}: how many rows a map's table shows, at least 1. */
final class RowLimit implements CommandLine.ITypeConverter<Integer> {

    @Override
    public Integer convert(String value) {
        int rows;
        try {
            rows = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a number of rows");
        }
        if (rows < 1) {
            throw new CommandLine.TypeConversionException("must be at least 1 row, not " + value);
        }
        return rows;
    }
}
