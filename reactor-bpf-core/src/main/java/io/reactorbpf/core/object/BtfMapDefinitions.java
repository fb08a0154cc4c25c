package io.reactorbpf.core.object;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfKind;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.sys.MapType;

import java.util.OptionalInt;

/**
 * Reads a BTF-defined map ({@code struct { __uint(type, ...); __type(key, ...); ... } name SEC(".maps")}): each
 * member's type encodes one attribute, {@code int (*)[N]} for a number, a pointer to the key or value type, or
 * {@code __array(values, ...)} for the inner map of a map-in-map. Stateless.
 */
final class BtfMapDefinitions {

    /** LIBBPF_PIN_BY_NAME. */
    static final int PIN_BY_NAME = 1;

    /** A parsed definition: the spec plus where the {@code values} member lies, for initial map-in-map slots. */
    record Definition(MapSpec spec, boolean pinByName, int valuesOffset) {
    }

    private BtfMapDefinitions() {
    }

    /**
     * Reads the definition of map {@code name}, whose struct is type {@code typeId}, found in ELF section
     * {@code section}; {@code where} names the object and section in messages.
     */
    static Definition read(Btf btf, String name, int typeId, String section, String where) {
        return read(btf, name, typeId, section, where, false);
    }

    /** {@code inner}: this is the inner map template of a map-in-map, which may not hold maps itself. */
    private static Definition read(Btf btf, String name, int typeId, String section, String where, boolean inner) {
        BtfType t = btf.type(btf.skipModsAndTypedefs(typeId));
        if (!(t instanceof BtfType.Struct s)) {
            throw new ObjectFormatException(where + ": map '" + name + "' is a " + t.kind()
                    + ", not a struct of __uint/__type members");
        }
        long type = 0, keySize = -1, valueSize = -1, maxEntries = 0, flags = 0, numa = 0, pinning = 0, extra = 0;
        int keyType = 0, valueType = 0, valuesOffset = -1;
        MapSpec template = null;
        for (BtfType.Member m : s.members()) {
            String what = where + ": map '" + name + "' member '" + m.name() + "'";
            switch (m.name()) {
                case "type" -> type = number(btf, m, what);
                case "max_entries" -> maxEntries = number(btf, m, what);
                case "map_flags" -> flags = number(btf, m, what);
                case "numa_node" -> numa = number(btf, m, what);
                case "key_size" -> keySize = number(btf, m, what);
                case "value_size" -> valueSize = number(btf, m, what);
                case "pinning" -> pinning = number(btf, m, what);
                case "map_extra" -> extra = number(btf, m, what);
                case "key" -> {
                    keyType = pointee(btf, m.type(), what);
                    keySize = elementSize(btf, keyType, what);
                }
                case "value" -> {
                    valueType = pointee(btf, m.type(), what);
                    valueSize = elementSize(btf, valueType, what);
                }
                case "values" -> {
                    if (inner) {
                        throw new ObjectFormatException(what + ": the inner map of a map-in-map cannot hold maps "
                                + "itself (its __array(values, ...) leads back into a map-in-map); the kernel does "
                                + "not nest map-in-maps");
                    }
                    template = innerTemplate(btf, name, m, section, where, what);
                    valueSize = 4;
                    valuesOffset = m.bitOffset() / 8;
                }
                default -> throw new ObjectFormatException(what + " is not a map attribute this loader knows "
                        + "(type, key, value, key_size, value_size, max_entries, map_flags, numa_node, pinning, "
                        + "map_extra, values)");
            }
        }
        MapType mapType = MapType.of((int) type);
        if (mapType == null || mapType == MapType.UNSPEC) {
            throw new ObjectFormatException(where + ": map '" + name + "' has type " + type + ", which is not a known map type; "
                    + "set __uint(type, BPF_MAP_TYPE_...)");
        }
        if (pinning > PIN_BY_NAME) {
            throw new ObjectFormatException(where + ": map '" + name + "' has pinning " + pinning
                    + "; only LIBBPF_PIN_NONE (0) and LIBBPF_PIN_BY_NAME (1) exist");
        }
        if (mapType == MapType.PERF_EVENT_ARRAY) {
            keySize = keySize < 0 ? 4 : keySize;
            valueSize = valueSize < 0 ? 4 : valueSize;
        }
        MapSpec spec = new MapSpec(name, section, mapType, (int) Math.max(keySize, 0), (int) Math.max(valueSize, 0),
                (int) maxEntries, (int) flags, null, false);
        spec.numaNode((int) numa).mapExtra(extra);
        spec.btfTypes(keyType, valueType);
        if (template != null) {
            spec.inner(template);
        }
        return new Definition(spec, pinning == PIN_BY_NAME, valuesOffset);
    }

    /** {@code __array(values, struct inner)}: a zero-length array of pointers to the inner map's definition. */
    private static MapSpec innerTemplate(Btf btf, String outer, BtfType.Member m, String section, String where,
                                         String what) {
        BtfType t = btf.type(btf.skipModsAndTypedefs(m.type()));
        if (!(t instanceof BtfType.Array a)) {
            throw new ObjectFormatException(what + " must be __array(values, ...), found " + btf.describe(m.type()));
        }
        int pointee = pointee(btf, a.type(), what);
        BtfType target = btf.type(btf.skipModsAndTypedefs(pointee));
        if (target.kind() == BtfKind.FUNC_PROTO) {
            return null; // a PROG_ARRAY's values are programs, not maps
        }
        return read(btf, outer + ".inner", pointee, section, where + ", the inner map of '" + outer + "'", true).spec();
    }

    /** The size of a key or value type; the kernel takes it as a u32 and this loader as an int. */
    private static long elementSize(Btf btf, int typeId, String what) {
        long size = btf.resolveSize(typeId);
        if (size > Integer.MAX_VALUE) {
            throw new ObjectFormatException(what + " is " + btf.describe(typeId) + " of " + size
                    + " bytes, larger than any map element can be");
        }
        return size;
    }

    private static long number(Btf btf, BtfType.Member m, String what) {
        int pointee = pointee(btf, m.type(), what);
        BtfType t = btf.type(pointee);
        if (!(t instanceof BtfType.Array a)) {
            throw new ObjectFormatException(what + " must be __uint(name, N), i.e. int (*)[N]; found "
                    + btf.describe(m.type()));
        }
        return Integer.toUnsignedLong(a.length());
    }

    private static int pointee(Btf btf, int typeId, String what) {
        BtfType t = btf.type(btf.skipModsAndTypedefs(typeId));
        if (!(t instanceof BtfType.Ptr p)) {
            throw new ObjectFormatException(what + " must be a pointer (__uint, __type or __array), found "
                    + btf.describe(typeId));
        }
        return p.type();
    }

    /** The id of the DATASEC named {@code section}, if the BTF has one. */
    static OptionalInt datasec(Btf btf, String section) {
        return btf == null ? OptionalInt.empty() : btf.findByName(section, BtfKind.DATASEC);
    }
}
