package io.reactorbpf.core.object;

import io.reactorbpf.core.sys.MapType;

import java.util.EnumSet;
import java.util.Set;

/**
 * Checks a value size or max_entries set on a {@link MapSpec} against what the kernel takes for its type, so that a
 * size it would refuse with a bare EINVAL is refused before load with a message saying why. Sizes are u32 to the
 * kernel; a large max_entries is left to the map memory limit ({@link ObjectSpec#mapMemoryLimit()}). Stateless.
 */
final class MapSizes {

    /** Map types whose values are a descriptor or id the kernel reads as 4 bytes. */
    private static final Set<MapType> FD_VALUES = EnumSet.of(MapType.PERF_EVENT_ARRAY, MapType.CGROUP_ARRAY,
            MapType.PROG_ARRAY, MapType.ARRAY_OF_MAPS, MapType.HASH_OF_MAPS);
    /** Map types whose values live with another kernel object; their max_entries must be 0. */
    private static final Set<MapType> OBJECT_STORAGE = EnumSet.of(MapType.CGROUP_STORAGE, MapType.PERCPU_CGROUP_STORAGE,
            MapType.SK_STORAGE, MapType.INODE_STORAGE, MapType.TASK_STORAGE);

    private MapSizes() {
    }

    /** Throws an {@link InvalidSpecException} when map {@code m} cannot take value size {@code size}. */
    static void checkValueSize(MapSpec m, int size) {
        if (m.isGlobalData()) {
            refuse(m, "value_size", size, "its value is the section's " + m.valueSize() + " bytes of variables");
        }
        MapType type = m.type();
        if (type == MapType.RINGBUF || type == MapType.USER_RINGBUF) {
            refuse(m, "value_size", size, "a ring buffer has no value size; its size in bytes is max_entries");
        }
        if (FD_VALUES.contains(type) && size != 4) {
            refuse(m, "value_size", size, "its values are 4-byte descriptors or ids");
        }
        if (size <= 0) {
            refuse(m, "value_size", size, "it must be at least 1 byte");
        }
        if (type == MapType.STACK_TRACE) {
            int frame = StackTraceDefaults.frameBytes(m.flags());
            int maxStack = StackTraceDefaults.maxStack();
            if (size % frame != 0 || size / frame > maxStack) {
                refuse(m, "value_size", size, "a stack map's value is " + frame + " bytes per frame, for at most"
                        + " perf_event_max_stack (" + maxStack + ") frames: a multiple of " + frame + " up to "
                        + (long) frame * maxStack);
            }
        }
    }

    /** Throws an {@link InvalidSpecException} when map {@code m} cannot take max_entries {@code entries} (a u32). */
    static void checkMaxEntries(MapSpec m, int entries) {
        if (m.isGlobalData() && entries != 1) {
            refuse(m, "max_entries", entries, "a global data map has exactly one entry, the whole section");
        }
        if (OBJECT_STORAGE.contains(m.type()) && entries != 0) {
            refuse(m, "max_entries", entries, "its values live with the objects they belong to; it must be 0");
        }
        if (entries == 0 && !OBJECT_STORAGE.contains(m.type()) && m.type() != MapType.PERF_EVENT_ARRAY) {
            refuse(m, "max_entries", entries, "it must be at least 1");
        }
    }

    /**
     * Throws an {@link InvalidSpecException} for the first map {@code spec} would create with a size left at 0 that
     * its type needs (max_entries for all but perf event arrays, ring buffers and object storage; value_size for all
     * but ring buffers): an object that leaves a size for its tool to set, such as libbpf-tools' cpudist, says so
     * before any map is created instead of failing with EINVAL.
     */
    static void checkCreatable(ObjectSpec spec) {
        for (MapSpec m : spec.maps()) {
            if (m.autocreate() && m.reused() == null) {
                checkCreatable(spec, m);
                if (m.inner() != null) {
                    checkCreatable(spec, m.inner());
                }
            }
        }
    }

    private static void checkCreatable(ObjectSpec spec, MapSpec m) {
        String unset = unset(m);
        if (unset != null) {
            throw new InvalidSpecException("map '" + m.name() + "' (" + m.type() + ") of object '" + spec.name() + "' has "
                    + unset + " 0, which the kernel refuses: the object leaves it for its tool to set; set it with"
                    + " MapSpec." + (unset.equals("max_entries") ? "maxEntries" : "valueSize") + " before load");
        }
    }

    /** "max_entries" or "value_size" when {@code m} has that size at 0 and its type needs it; null when neither. */
    static String unset(MapSpec m) {
        MapType type = m.type();
        boolean ring = type == MapType.RINGBUF || type == MapType.USER_RINGBUF;
        if (m.maxEntries() == 0 && !ring && type != MapType.PERF_EVENT_ARRAY && !OBJECT_STORAGE.contains(type)) {
            return "max_entries";
        }
        return m.valueSize() == 0 && !ring ? "value_size" : null;
    }

    private static void refuse(MapSpec m, String what, int value, String why) {
        throw new InvalidSpecException("map '" + m.name() + "' (" + m.type() + ") cannot take " + what + " "
                + Integer.toUnsignedString(value) + ": " + why);
    }
}
