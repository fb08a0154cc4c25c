package io.reactorbpf.core.object;

import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.Kernel;

import java.util.Locale;

/**
 * The most kernel memory one map of an object may take, checked for every map before the first BPF_MAP_CREATE so
 * that a mistaken or damaged max_entries is refused by the library instead of being attempted by the kernel (a
 * per-CPU array of billions of entries makes some kernels allocate for a minute, then oops and keep the memory).
 *
 * <p>The default, {@link #DEFAULT} (1 GiB), is far above what real tools ask for (a million-entry hash of 64-byte
 * values is about 130 MiB) and far below what leaves a machine unusable; map memory is charged to the memory cgroup,
 * not to RLIMIT_MEMLOCK, on current kernels, so without a cgroup limit nothing else stops such a request. The
 * system property {@value #PROPERTY} changes the default for the JVM; {@link ObjectSpec#mapMemoryLimit(long)} for one
 * object. Stateless.
 */
final class MapMemoryLimit {

    /** The system property holding the default limit in bytes, with an optional k, m or g suffix. */
    static final String PROPERTY = "reactorbpf.mapMemoryLimit";
    /** 1 GiB. */
    static final long DEFAULT = 1L << 30;

    private MapMemoryLimit() {
    }

    /** The limit {@value #PROPERTY} sets, or {@link #DEFAULT} when it is unset. */
    static long fromSystemProperty() {
        String value = System.getProperty(PROPERTY);
        return value == null ? DEFAULT : parse(value);
    }

    /** Parses "1073741824", "512m", "2g" or "64k" as bytes. */
    static long parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        int shift = v.endsWith("k") ? 10 : v.endsWith("m") ? 20 : v.endsWith("g") ? 30 : 0;
        String digits = shift == 0 ? v : v.substring(0, v.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n <= 0 || n > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PROPERTY + "=" + value + " is not a positive size in bytes "
                    + "(a number with an optional k, m or g suffix, e.g. 2g)");
        }
    }

    /** Throws a {@link MapMemoryLimitException} for the first map of {@code spec} that loading would create above {@code limit}. */
    static void check(ObjectSpec spec, long limit) {
        int cpus = CpuSet.possible().size();
        for (MapSpec m : spec.maps()) {
            if (m.autocreate() && m.reused() == null) {
                check(spec.name(), m, limit, cpus);
                if (m.inner() != null) {
                    check(spec.name(), m.inner(), limit, cpus);
                }
            }
        }
    }

    private static void check(String object, MapSpec m, long limit, int cpus) {
        long estimate = MapMemory.estimate(m.type(), m.keySize(), m.valueSize(), ObjectLoader.maxEntries(m),
                m.mapExtra(), cpus, Kernel.pageSize());
        if (estimate > limit) {
            throw new MapMemoryLimitException(object, m, estimate, limit, cpus);
        }
    }

    /** "1 GiB (1073741824 bytes)", "37.2 GiB (39940546560 bytes)". */
    static String describe(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int unit = 0;
        while (v >= 1024 && unit < units.length - 1) {
            v /= 1024;
            unit++;
        }
        String scaled = v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
        return unit == 0 ? bytes + " bytes" : scaled + " " + units[unit] + " (" + bytes + " bytes)";
    }
}
