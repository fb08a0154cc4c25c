package io.reactorbpf.core.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;

/**
 * A set of CPU numbers as the kernel writes it in sysfs ("0-3,5,7-8"). Immutable.
 */
public final class CpuSet {

    private static final Path ONLINE = Path.of("/sys/devices/system/cpu/online");
    private static final Path POSSIBLE = Path.of("/sys/devices/system/cpu/possible");

    private final int[] cpus;

    private CpuSet(int[] cpus) {
        this.cpus = cpus;
    }

    /** The CPUs that are online now. */
    public static CpuSet online() {
        return read(ONLINE);
    }

    /** The CPUs this kernel could ever bring online; per-CPU maps have one slot for each. */
    public static CpuSet possible() {
        return read(POSSIBLE);
    }

    /** The set in {@code file}, a sysfs CPU list. */
    public static CpuSet read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CPU list " + file, e);
        }
    }

    /** The given CPUs. */
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

    /** Parses a CPU list such as "0-3,5,7-8" (whitespace and a trailing newline allowed; empty is empty). */
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

    /** The CPU numbers in increasing order (a copy). */
    public int[] toArray() {
        return cpus.clone();
    }

    public int size() {
        return cpus.length;
    }

    public boolean contains(int cpu) {
        return Arrays.binarySearch(cpus, cpu) >= 0;
    }

    /** The CPUs below {@code limit}. */
    public CpuSet below(int limit) {
        return new CpuSet(Arrays.stream(cpus).filter(c -> c < limit).toArray());
    }

    /** One more than the highest CPU number; 0 when empty. */
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
