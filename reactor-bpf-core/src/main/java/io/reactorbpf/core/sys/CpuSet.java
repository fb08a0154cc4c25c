package io.reactorbpf.core.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;

/**
 * A set of CPU numbers as the kernel writes it in sysfs ("0-3,5,7-8"). Immutable.
 *
 * @since 0.1
 */
public final class CpuSet {

    private static final Path ONLINE = Path.of("/sys/devices/system/cpu/online");
    private static final Path POSSIBLE = Path.of("/sys/devices/system/cpu/possible");

    private final int[] cpus;

    private CpuSet(int[] cpus) {
        this.cpus = cpus;
    }

    /**
     * The CPUs that are online now, from {@code /sys/devices/system/cpu/online}. A CPU may go offline or come
     * online right after this returns.
     *
     * @return the set read now
     * @throws java.io.UncheckedIOException when sysfs cannot be read
     * @throws IllegalArgumentException when the file does not hold a CPU list
     */
    public static CpuSet online() {
        return read(ONLINE);
    }

    /**
     * The CPUs this kernel could ever bring online, from {@code /sys/devices/system/cpu/possible}; per-CPU maps
     * have one slot for each. Fixed at boot.
     *
     * @return the set
     * @throws java.io.UncheckedIOException when sysfs cannot be read
     * @throws IllegalArgumentException when the file does not hold a CPU list
     */
    public static CpuSet possible() {
        return read(POSSIBLE);
    }

    /**
     * The set in {@code file}, a sysfs CPU list.
     *
     * @param file a file holding a CPU list, such as {@code /sys/devices/system/cpu/online}
     * @return the set the file holds now
     * @throws java.io.UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException when it does not hold a CPU list
     */
    public static CpuSet read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CPU list " + file, e);
        }
    }

    /**
     * The given CPUs.
     *
     * @param cpus CPU numbers, in any order; duplicates count once
     * @return the set
     * @throws IllegalArgumentException when a number is negative
     */
    public static CpuSet of(int... cpus) {
        BitSet bits = new BitSet();
        for (int c : cpus) {
            if (c < 0) {
                throw new IllegalArgumentException("negative CPU number " + c);
            }
            bits.set(c);
        }
        return new CpuSet(bits.stream().toArray());
    }

    /**
     * Parses a CPU list such as "0-3,5,7-8" (whitespace and a trailing newline allowed; empty is empty).
     *
     * @param list numbers and inclusive ranges, comma-separated
     * @return the set
     * @throws IllegalArgumentException naming the part that is not a CPU number or an increasing range
     */
    public static CpuSet parse(String list) {
        BitSet bits = new BitSet();
        String s = list.strip();
        if (!s.isEmpty()) {
            for (String part : s.split(",")) {
                String p = part.strip();
                int dash = p.indexOf('-');
                try {
                    if (dash < 0) {
                        bits.set(Integer.parseInt(p));
                    } else {
                        int from = Integer.parseInt(p.substring(0, dash).strip());
                        int to = Integer.parseInt(p.substring(dash + 1).strip());
                        if (from < 0 || to < from) {
                            throw new IllegalArgumentException("bad CPU range '" + p + "' in CPU list '" + s + "'");
                        }
                        bits.set(from, to + 1);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad CPU number '" + p + "' in CPU list '" + s + "'", e);
                }
            }
        }
        return new CpuSet(bits.stream().toArray());
    }

    /**
     * The CPU numbers in increasing order (a copy).
     *
     * @return a new array, owned by the caller
     */
    public int[] toArray() {
        return cpus.clone();
    }

    /**
     * How many CPUs the set holds; less than {@link #span()} when there are gaps.
     *
     * @return the number of CPUs
     */
    public int size() {
        return cpus.length;
    }

    /**
     * Whether {@code cpu} is in the set.
     *
     * @param cpu a CPU number
     * @return true when the set holds it
     */
    public boolean contains(int cpu) {
        return Arrays.binarySearch(cpus, cpu) >= 0;
    }

    /**
     * The CPUs below {@code limit}, such as those a perf event array of {@code limit} entries has slots for.
     *
     * @param limit one more than the highest CPU number kept
     * @return the subset
     */
    public CpuSet below(int limit) {
        return new CpuSet(Arrays.stream(cpus).filter(c -> c < limit).toArray());
    }

    /**
     * One more than the highest CPU number; 0 when empty. A table indexed by CPU number needs this many slots.
     *
     * @return the highest CPU number plus one
     */
    public int span() {
        return cpus.length == 0 ? 0 : cpus[cpus.length - 1] + 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CpuSet && Arrays.equals(cpus, ((CpuSet) o).cpus);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cpus);
    }

    /** The set in sysfs form, with ranges. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cpus.length; ) {
            int j = i;
            while (j + 1 < cpus.length && cpus[j + 1] == cpus[j] + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(cpus[i]);
            if (j > i) {
                sb.append('-').append(cpus[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }
}
