package io.reactorbpf.core.object;

import io.reactorbpf.core.BpfException;
import io.reactorbpf.core.sys.MapType;

/**
 * Loading was refused before BPF_MAP_CREATE because a map would take more kernel memory than the object's map
 * memory limit allows ({@link ObjectSpec#mapMemoryLimit(long)}). Nothing was created. The message names the map,
 * its type and sizes, the estimate, the limit and how to raise it.
 *
 * @since 0.1
 */
public final class MapMemoryLimitException extends BpfException {

    /** The refused map's name, as {@link #map()} returns it. */
    private final String map;
    /** Its type, as {@link #type()} returns it. */
    private final MapType type;
    /** Its estimated kernel memory in bytes, as {@link #estimate()} returns it. */
    private final long estimate;
    /** The limit in bytes, as {@link #limit()} returns it. */
    private final long limit;

    MapMemoryLimitException(String object, MapSpec m, long estimate, long limit, int possibleCpus) {
        super("object '" + object + "' map '" + m.name() + "' (" + m.type() + ", key_size=" + m.keySize()
                + ", value_size=" + m.valueSize() + ", max_entries=" + Integer.toUnsignedString(m.maxEntries())
                + (m.type().name().contains("PERCPU") ? ", " + possibleCpus + " possible CPUs" : "")
                + ") would take about " + MapMemoryLimit.describe(estimate) + " of kernel memory, above the "
                + MapMemoryLimit.describe(limit) + " limit; lower its max_entries or value size, or raise the limit "
                + "with ObjectSpec.mapMemoryLimit(bytes) or -D" + MapMemoryLimit.PROPERTY + "=BYTES (suffixes k, m, g)");
        this.map = m.name();
        this.type = m.type();
        this.estimate = estimate;
        this.limit = limit;
    }

    /**
     * The map that was refused.
     *
     * @return its name in the object
     */
    public String map() {
        return map;
    }

    /**
     * The refused map's type, which the estimate's overhead depends on.
     *
     * @return the type
     */
    public MapType type() {
        return type;
    }

    /**
     * The estimated kernel memory of the map, in bytes.
     *
     * @return the estimate
     */
    public long estimate() {
        return estimate;
    }

    /**
     * The limit it exceeded, in bytes.
     *
     * @return the object's {@link ObjectSpec#mapMemoryLimit()}
     */
    public long limit() {
        return limit;
    }
}
