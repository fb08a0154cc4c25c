package io.reactorbpf.perf.maps;

/**
 * What a histogram's slots count: powers of two ({@link #log2()}, as libbpf-tools' {@code log2l()} fills them) or
 * equal steps from a base ({@link #linear(long, long)}). The BTF of a map says only that a value holds slots; the
 * scale is the program's convention. Immutable.
 *
 * @since 0.1
 */
public sealed interface HistogramScale {

    /**
     * Powers of two, as libbpf-tools' {@code log2l()} picks a slot: slot 0 holds 0 and 1, slot {@code i > 0} holds
     * {@code 2^i} to {@code 2^(i+1) - 1}; at most 64 slots.
     *
     * @return the one log2 scale
     */
    static HistogramScale log2() {
        return Log2.INSTANCE;
    }

    /**
     * Equal steps, as a program that divides a value by a step to pick its slot fills them: slot {@code i} holds
     * {@code base + i * step} to {@code base + (i + 1) * step - 1}.
     *
     * @param base the lowest value slot 0 counts
     * @param step the width of each slot, at least 1
     * @return a linear scale
     * @throws IllegalArgumentException when {@code step} is below 1
     */
    static HistogramScale linear(long base, long step) {
        return new Linear(base, step);
    }

    /**
     * The lowest value a slot counts.
     *
     * @param slot the slot's index, from 0 and below {@link #maxSlots()}
     * @return the value, unsigned for log2
     */
    long low(int slot);

    /**
     * The highest value a slot counts.
     *
     * @param slot the slot's index, from 0 and below {@link #maxSlots()}
     * @return the value, inclusive; unsigned for log2
     */
    long high(int slot);

    /**
     * The most slots this scale can name: a {@link Histogram} on it has no more.
     *
     * @return 64 for log2, {@link Integer#MAX_VALUE} for linear
     */
    int maxSlots();

    /**
     * Powers of two.
     *
     * @since 0.1
     */
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
     * @since 0.1
     */
    record Linear(long base, long step) implements HistogramScale {

        /**
         * Checks the step.
         *
         * @param base the lowest value of slot 0
         * @param step the width of each slot, at least 1
         * @throws IllegalArgumentException when {@code step} is below 1
         */
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
