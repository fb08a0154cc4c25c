package io.reactorbpf.perf.maps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One histogram read from a map: a count per slot (unsigned) and the {@link HistogramScale} that names the slots'
 * ranges. {@link #text(String)} prints it as libbpf-tools do; {@link #buckets()} gives the same ranges and counts
 * as data. Immutable; the counts are copied in and out.
 *
 * @since 0.1
 */
public final class Histogram {

    private final long[] counts;
    private final HistogramScale scale;

    /**
     * A histogram of {@code counts} on {@code scale}, such as {@link HistogramField#histogram} reads from a map's
     * value.
     *
     * @param counts the count of each slot, slot 0 first, taken as unsigned; copied, so the caller may reuse it
     * @param scale  what the slots count
     * @throws IllegalArgumentException when there are more slots than the scale names (log2 names 64)
     */
    public Histogram(long[] counts, HistogramScale scale) {
        this.scale = Objects.requireNonNull(scale, "scale");
        if (counts.length > scale.maxSlots()) {
            throw new IllegalArgumentException("a " + scale + " histogram has at most " + scale.maxSlots()
                    + " slots, not " + counts.length);
        }
        this.counts = counts.clone();
    }

    /**
     * The count of each slot, slot 0 first.
     *
     * @return a new array, the caller's to change; its longs are unsigned
     */
    public long[] counts() {
        return counts.clone();
    }

    /**
     * What the slots count.
     *
     * @return the scale the histogram was made with
     */
    public HistogramScale scale() {
        return scale;
    }

    /**
     * The sum of the counts: how many values the program counted into the histogram.
     *
     * @return the sum, unsigned (wrapping past 2^64, which no histogram reaches)
     */
    public long total() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    /**
     * Whether every slot is 0: the real tools print nothing for such a histogram, and so does {@link #text}.
     *
     * @return true when no slot has a count
     */
    public boolean isEmpty() {
        return firstUsed() < 0;
    }

    /**
     * The slots as ranges and counts, as the text shows them: for log2, slot 0 up to the last slot with a count;
     * for linear, the first to the last slot with a count (the text leaves out the empty ones between them).
     * Empty for an empty histogram.
     *
     * @return the buckets in slot order, immutable
     */
    public List<Bucket> buckets() {
        int last = lastUsed();
        if (last < 0) {
            return List.of();
        }
        int first = scale instanceof HistogramScale.Log2 ? 0 : firstUsed();
        List<Bucket> buckets = new ArrayList<>(last - first + 1);
        for (int i = first; i <= last; i++) {
            buckets.add(new Bucket(scale.low(i), scale.high(i), counts[i]));
        }
        return buckets;
    }

    /**
     * The histogram as libbpf-tools' {@code print_log2_hist} or {@code print_linear_hist} prints it, headed by
     * {@code unit} ({@code "usecs"}, {@code "Kbytes"}): the {@code "unit : count distribution"} line, then a
     * line per slot with its range, count and a bar of stars 40 wide (20 when log2 slots reach past 32). Every
     * line ends with a newline; the empty string for an empty histogram. Counts and ranges are unsigned, where
     * the tools' C would wrap past 32 bits.
     *
     * @param unit what the slots' values measure, printed left-aligned in the heading as the tools print theirs
     * @return the lines, ready to print
     */
    public String text(String unit) {
        return HistogramText.of(this, unit);
    }

    int firstUsed() {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    int lastUsed() {
        for (int i = counts.length - 1; i >= 0; i--) {
            if (counts[i] != 0) {
                return i;
            }
        }
        return -1;
    }

    long count(int slot) {
        return counts[slot];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Histogram h && h.scale.equals(scale) && Arrays.equals(h.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * scale.hashCode() + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Histogram[" + scale + ", " + Arrays.toString(counts) + "]";
    }

    /**
     * One slot: the values it counts, {@code low} to {@code high} inclusive (unsigned), and its count.
     *
     * @param low   the lowest value the slot counts
     * @param high  the highest value the slot counts
     * @param count how many values the program counted in the slot, unsigned
     * @since 0.1
     */
    public record Bucket(long low, long high, long count) {
    }
}
