package io.reactorbpf.core.object;

import io.reactorbpf.core.BpfException;
import io.reactorbpf.core.sys.MapType;

/**
 * Loading was refused before BPF_MAP_CREATE because a map would take more kernel memory than the object's map
 * memory limit allows ({@link ObjectSpec#mapMemoryLimit(long)}). Nothing was created. The message names the map,
 * its type and sizes, the estimate, the limit and how to raise it.
 */
public final class MapMemoryLimitException extends BpfException {

    private final String map;
    private final MapType type;
    private final long estimate;
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

    /** The map that was refused. */
    public String map() {
        return map;
    }

    public MapType type() {
        return type;
    }

    /** The estimated kernel memory of the map, in bytes. */
    public long estimate() {
        return estimate;
    }

    /** The limit it exceeded, in bytes. */
    public long limit() {
        return limit;
    }
}
