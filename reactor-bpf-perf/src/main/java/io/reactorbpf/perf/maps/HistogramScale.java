package io.reactorbpf.perf.maps;

/**
 * What a histogram's slots count: powers of two ({@link #log2()}, as libbpf-tools' {@code log2l()} fills them) or
 * equal steps from a base ({@link #linear(long, long)}). The BTF of a map says only that a value holds slots; the
 * scale is the program's convention. Immutable.
 */
public sealed interface HistogramScale {

    /** Slot 0 holds 0 and 1, slot {@code i > 0} holds {@code 2^i} to {@code 2^(i+1) - 1}; at most 64 slots. */
    static HistogramScale log2() {
        return Log2.INSTANCE;
    }

    /** Slot {@code i} holds {@code base + i * step} to {@code base + (i + 1) * step - 1}. */
    static HistogramScale linear(long base, long step) {
        return new Linear(base, step);
    }

    /** The lowest value slot {@code slot} counts (unsigned for log2). */
    long low(int slot);

    /** The highest value slot {@code slot} counts (unsigned for log2). */
    long high(int slot);

    /** The most slots this scale can name. */
    int maxSlots();

    /** Powers of two. */
    record Log2() implements HistogramScale {

        static final Log2 INSTANCE = new Log2();

        @Override
        public long low(int slot) {
            return slot == 0 ? 0 : 1L << slot;
        }

        @Override
        public long high(int slot) {
            // slot 63 ends at 2^64 - 1, which is -1 as a long's bits
            return slot == 63 ? -1L : (1L << (slot + 1)) - 1;
        }

        @Override
        public int maxSlots() {
            return 64;
        }
    }

    /**
     * Equal steps.
     *
     * @param base the lowest value of slot 0
     * @param step the width of each slot, at least 1
     */
    record Linear(long base, long step) implements HistogramScale {

        public Linear {
            if (step < 1) {
                throw new IllegalArgumentException("a linear histogram's step must be at least 1, not " + step);
            }
        }

        @Override
        public long low(int slot) {
            return base + slot * step;
        }

        @Override
        public long high(int slot) {
            return base + (slot + 1) * step - 1;
        }

        @Override
        public int maxSlots() {
            return Integer.MAX_VALUE;
        }
    }
}
