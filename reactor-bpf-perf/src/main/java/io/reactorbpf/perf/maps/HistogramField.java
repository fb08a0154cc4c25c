package io.reactorbpf.perf.maps;

import java.util.List;
import java.util.Objects;

/**
 * Where a map's value holds a histogram: an array of unsigned 32- or 64-bit integers, one count per slot, as
 * libbpf-tools' {@code struct hist { __u32 slots[MAX_SLOTS]; }}. Found in the value's BTF by its shape
 * ({@link MapLayout#histograms()}); the slots' meaning (log2 or linear buckets) is the reader's to say with a
 * {@link HistogramScale}. Immutable.
 *
 * @param path     the member names from the value to the array (empty when the value is the array itself;
 *                 variables of a data section count as members)
 * @param offset   the array's byte offset in the value
 * @param slotSize each slot's size: 4 or 8 bytes
 * @param slots    the number of slots
 * @since 0.1
 */
public record HistogramField(List<String> path, int offset, int slotSize, int slots) {

    /**
     * Checks the field and copies its path.
     *
     * @param path     the member names from the value to the array, empty for the value itself
     * @param offset   the array's byte offset in the value, not negative
     * @param slotSize each slot's size in bytes, 4 or 8
     * @param slots    the number of slots, at least 1
     * @throws IllegalArgumentException when the slot size is not 4 or 8, the offset is negative or there are no
     *                                  slots
     */
    public HistogramField {
        path = List.copyOf(path);
        if (slotSize != 4 && slotSize != 8) {
            throw new IllegalArgumentException("a slot is 4 or 8 bytes, not " + slotSize);
        }
        if (offset < 0 || slots < 1) {
            throw new IllegalArgumentException("a histogram needs a non-negative offset and slots, got offset "
                    + offset + " and " + slots + " slots");
        }
    }

    /**
     * The field's name as a person reads it, to tell the histograms of one value apart.
     *
     * @return the path joined with dots ({@code "info.slots"}); empty when the value is the array itself
     */
    public String name() {
        return String.join(".", path);
    }

    /**
     * The slots' counts in {@code value} (one CPU's, or summed), read little-endian and unsigned as the program
     * wrote them.
     *
     * @param value one value of the map, as a {@link MapSnapshot.Entry} holds it; only read
     * @return a new array of the counts, slot 0 first
     * @throws IllegalArgumentException when {@code value} is too short to hold the slots at this offset
     */
    public long[] counts(byte[] value) {
        Objects.requireNonNull(value, "value");
        if (offset + (long) slotSize * slots > value.length) {
            throw new IllegalArgumentException("a " + value.length + "-byte value cannot hold " + slots + " "
                    + slotSize + "-byte slots at offset " + offset);
        }
        long[] counts = new long[slots];
        for (int i = 0; i < slots; i++) {
            counts[i] = LittleEndian.unsigned(value, offset + i * slotSize, slotSize);
        }
        return counts;
    }

    /**
     * The histogram these slots hold in {@code value}, on {@code scale}.
     *
     * @param value one value of the map (one CPU's, or summed); only read
     * @param scale what the program counts in each slot, log2 for libbpf-tools' {@code log2l()} slots
     * @return the histogram, holding its own copy of the counts
     * @throws IllegalArgumentException when {@code value} is too short to hold the slots, or there are more slots
     *                                  than {@code scale} names
     */
    public Histogram histogram(byte[] value, HistogramScale scale) {
        return new Histogram(counts(value), scale);
    }
}
