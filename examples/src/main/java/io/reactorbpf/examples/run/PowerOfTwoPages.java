package io.reactorbpf.examples.run;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --pages}: a power of two from 1 to 262144 pages (1 GiB of 4 KiB pages); anything else is a usage error. */
final class PowerOfTwoPages implements ITypeConverter<Integer> {

    private static final int MAX = 1 << 18;

    @Override
    public Integer convert(String value) {
        int pages;
        try {
            pages = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number of pages");
        }
        if (pages <= 0 || pages > MAX || Integer.bitCount(pages) != 1) {
            throw new TypeConversionException("must be a power of two from 1 to " + MAX + ", not " + value);
        }
        return pages;
    }
}
