package io.reactorbpf.perf.maps;

import java.math.BigInteger;

/**
 * Prints a {@link Histogram} in the layout of libbpf-tools' trace_helpers.c, column for column, so that output
 * reads (and diffs) like the real tools'. Stateless.
 */
final class HistogramText {

    private static final int STARS = 40;
    private static final BigInteger UNSIGNED = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private HistogramText() {
    }

    static String of(Histogram h, String unit) {
        if (h.isEmpty()) {
            return "";
        }
        return h.scale() instanceof HistogramScale.Log2 ? log2(h, unit) : linear(h, unit);
    }

    /** print_log2_hist: every slot up to the last with a count; wider columns and half the stars past slot 32. */
    private static String log2(Histogram h, String unit) {
        int last = h.lastUsed();
        long max = max(h);
        boolean narrow = last <= 32;
        int width = narrow ? 10 : 20;
        int stars = narrow ? STARS : STARS / 2;
        StringBuilder out = new StringBuilder();
        out.append(" ".repeat(narrow ? 5 : 15)).append(left(unit, narrow ? 19 : 29)).append(" : count    distribution\n");
        for (int i = 0; i <= last; i++) {
            long count = h.count(i);
            out.append(right(Long.toUnsignedString(h.scale().low(i)), width)).append(" -> ")
                    .append(left(Long.toUnsignedString(h.scale().high(i)), width)).append(" : ")
                    .append(left(Long.toUnsignedString(count), 8)).append(" |");
            bar(out, count, max, stars);
            out.append("|\n");
        }
        return out.toString();
    }

    /** print_linear_hist: the slots from the first to the last with a count, leaving out empty ones. */
    private static String linear(Histogram h, String unit) {
        long max = max(h);
        StringBuilder out = new StringBuilder();
        out.append("     ").append(left(unit, 13)).append(" : count     distribution\n");
        for (int i = h.firstUsed(); i <= h.lastUsed(); i++) {
            long count = h.count(i);
            if (count == 0) {
                continue;
            }
            out.append("        ").append(left(Long.toString(h.scale().low(i)), 10)).append(" : ")
                    .append(left(Long.toUnsignedString(count), 8)).append(" |");
            bar(out, count, max, STARS);
            out.append("|\n");
        }
        return out.toString();
    }

    /** print_stars: {@code count * width / max} stars, padded to the width. */
    private static void bar(StringBuilder out, long count, long max, int width) {
        int stars = BigInteger.valueOf(count).and(UNSIGNED).multiply(BigInteger.valueOf(width))
                .divide(BigInteger.valueOf(max).and(UNSIGNED)).intValueExact();
        out.append("*".repeat(stars)).append(" ".repeat(width - stars));
    }

    private static long max(Histogram h) {
        long max = 0;
        for (long c : h.counts()) {
            if (Long.compareUnsigned(c, max) > 0) {
                max = c;
            }
        }
        return max;
    }

    private static String left(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String right(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
