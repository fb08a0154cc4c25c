package io.reactorbpf.examples.run;

import io.reactorbpf.perf.maps.HistogramScale;
import picocli.CommandLine;

/** Converts {@code --linear BASE,STEP}: histogram slots of equal width STEP from BASE, as print_linear_hist takes them. */
final class LinearScale implements CommandLine.ITypeConverter<HistogramScale> {

    @Override
    public HistogramScale convert(String value) {
        String[] parts = value.split(",", -1);
        long base;
        long step;
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            base = Long.parseLong(parts[0].strip());
            step = Long.parseLong(parts[1].strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("--linear takes BASE,STEP (two whole numbers), got '"
                    + value + "'");
        }
        if (step < 1) {
            throw new CommandLine.TypeConversionException("a slot's STEP must be at least 1, not " + step);
        }
        return HistogramScale.linear(base, step);
    }
}
