package io.reactorbpf.core.btf;

import io.reactorbpf.core.internal.btf.BtfSanitizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A set of BTF types addressed by id: id 0 is void, the types of this blob follow from
 * {@link #firstTypeId()} (1, or one past the base's last id for split BTF) to {@link #typeCount()}.
 *
 * <p>Immutable and safe to read from any thread. Editing ({@link #replace}, {@link #add},
 * {@link BtfSanitizer}) returns a new {@code Btf}; the string section read from the original blob is kept
 * as the prefix of the string section {@link #toBytes()} writes, so string offsets that .BTF.ext records
 * carry stay valid for the written blob.
 *
 * @since 0.1
 */
public final class Btf {

    private static final Path VMLINUX = Path.of("/sys/kernel/btf/vmlinux");
    private static final int POINTER_SIZE = 8;
    private static volatile Btf vmlinux;

    private final Btf base;
    private final int firstId;
    private final BtfType[] types;
    private final BtfStrings strings;
    private volatile Map<String, int[]> idsByName;

    Btf(Btf base, List<BtfType> types, BtfStrings strings) {
        this.base = base;
        this.firstId = base == null ? 1 : base.typeCount() + 1;
        this.types = types.toArray(new BtfType[0]);
        this.strings = strings;
    }

    /**
     * Reads a raw BTF blob such as an object's .BTF section.
     *
     * @param blob the blob: header, type section and string section; not kept
     * @return the types, ids from 1
     * @throws BtfFormatException naming the byte offset or type id where the blob is malformed
     */
    public static Btf parse(byte[] blob) {
        return BtfReader.read(blob, null);
    }

    /**
     * Reads the remaining bytes of {@code blob} (its position is not changed).
     *
     * @param blob a buffer whose remaining bytes are the raw BTF; copied, not kept
     * @return the types, ids from 1
     * @throws BtfFormatException naming the byte offset or type id where the blob is malformed
     */
    public static Btf parse(ByteBuffer blob) {
        return parse(copy(blob));
    }

    /**
     * Reads split BTF (e.g. a kernel module's /sys/kernel/btf/NAME) whose ids and strings continue {@code base}.
     *
     * @param blob the split blob
     * @param base the BTF it continues, usually vmlinux's; referred to, not copied
     * @return the module's types, ids from one past the base's last
     * @throws BtfFormatException naming where the blob is malformed
     */
    public static Btf parseSplit(byte[] blob, Btf base) {
        return BtfReader.read(blob, base);
    }

    /**
     * Reads a BTF file such as /sys/kernel/btf/vmlinux.
     *
     * @param file a raw BTF file
     * @return the types, ids from 1
     * @throws BtfFormatException when the file is missing, unreadable or malformed
     */
    public static Btf read(Path file) {
        try {
            return parse(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new BtfFormatException("no BTF at " + file);
        } catch (IOException e) {
            throw new BtfFormatException("cannot read BTF from " + file + ": " + e.getMessage());
        }
    }

    /**
     * The running kernel's BTF from /sys/kernel/btf/vmlinux, read once and then cached. The first call parses
     * several megabytes on the calling thread; concurrent first calls wait for one parse.
     *
     * @return the kernel's types, shared by every caller
     * @throws BtfFormatException when the kernel publishes no BTF (built without CONFIG_DEBUG_INFO_BTF) or it
     *         cannot be read
     */
    public static Btf vmlinux() {
        Btf btf = vmlinux;
        if (btf == null) {
            synchronized (Btf.class) {
                btf = vmlinux;
                if (btf == null) {
                    btf = kernel(VMLINUX);
                    vmlinux = btf;
                }
            }
        }
        return btf;
    }

    /** Reads kernel BTF from {@code file}, explaining a missing file as a kernel built without BTF. */
    static Btf kernel(Path file) {
        if (!Files.exists(file)) {
            throw new BtfFormatException(file + " does not exist: the running kernel does not publish its BTF; "
                    + "it needs to be built with CONFIG_DEBUG_INFO_BTF=y");
        }
        return read(file);
    }

    /**
     * BTF made of {@code types}, which get ids 1, 2, ... in list order, with an empty string section.
     *
     * @param types the types, referring to each other by those ids
     * @return the BTF
     * @throws BtfFormatException when a type refers to an id that does not exist
     */
    public static Btf of(List<? extends BtfType> types) {
        Btf btf = new Btf(null, new ArrayList<>(types), BtfStrings.EMPTY);
        btf.checkReferences();
        return btf;
    }

    /**
     * The BTF this split BTF continues.
     *
     * @return the base, or empty for BTF that stands alone
     */
    public Optional<Btf> base() {
        return Optional.ofNullable(base);
    }

    /**
     * The id of this blob's first type: 1, or one past the base's last id for split BTF.
     *
     * @return the first own id
     */
    public int firstTypeId() {
        return firstId;
    }

    /**
     * The highest valid type id (including the base's types); also the number of types besides void.
     *
     * @return the last id
     */
    public int typeCount() {
        return firstId - 1 + types.length;
    }

    /**
     * The type with {@code id}; id 0 is {@link BtfType.Void}.
     *
     * @param id a type id, this blob's own or its base's
     * @return the type
     * @throws BtfFormatException when no type has that id
     */
    public BtfType type(int id) {
        if (id >= firstId && id <= typeCount()) {
            return types[id - firstId];
        }
        if (id == 0) {
            return BtfType.Void.INSTANCE;
        }
        if (base != null && id > 0 && id < firstId) {
            return base.type(id);
        }
        throw new BtfFormatException("type id " + id + " does not exist (ids run from 0 to " + typeCount() + ")");
    }

    /**
     * This blob's own types (not the base's), in id order starting at {@link #firstTypeId()}.
     *
     * @return an unmodifiable list
     */
    public List<BtfType> types() {
        return Collections.unmodifiableList(Arrays.asList(types));
    }

    /**
     * Every id, base ones first, whose type is named {@code name}; empty when none. The first call builds a name
     * index, kept for later calls.
     *
     * @param name the type's name, such as {@code task_struct}; kinds are not told apart
     * @return a new array of ids in increasing order, owned by the caller
     */
    public int[] idsByName(String name) {
        int[] own = nameIndex().get(name);
        int[] inBase = base == null ? new int[0] : base.idsByName(name);
        if (own == null) {
            return inBase;
        }
        if (inBase.length == 0) {
            return own.clone();
        }
        int[] all = Arrays.copyOf(inBase, inBase.length + own.length);
        System.arraycopy(own, 0, all, inBase.length, own.length);
        return all;
    }

    /**
     * The lowest id of a type named {@code name} of {@code kind}.
     *
     * @param name the type's name
     * @param kind its kind, such as {@link BtfKind#FUNC} for a kernel function
     * @return the id, or empty when no type of that kind has the name
     */
    public OptionalInt findByName(String name, BtfKind kind) {
        for (int id : idsByName(name)) {
            if (type(id).kind() == kind) {
                return OptionalInt.of(id);
            }
        }
        return OptionalInt.empty();
    }

    /**
     * Follows typedefs and qualifiers (const, volatile, restrict, type tags) from {@code id} to the first other type.
     *
     * @param id a type id
     * @return the id of the first type that is neither a typedef nor a qualifier; {@code id} itself when it is none
     * @throws BtfFormatException when the chain loops or reaches an id that does not exist
     */
    public int skipModsAndTypedefs(int id) {
        int current = id;
        for (int steps = 0; steps <= typeCount(); steps++) {
            if (!(type(current) instanceof BtfType.Qualifier q)) {
                return current;
            }
            current = q.type();
        }
        throw loop(id);
    }

    /**
     * The size in bytes of a value of type {@code id}; void, functions and forward declarations have none.
     *
     * @param id a type id
     * @return the size, arrays multiplied out, pointers 8 bytes
     * @throws BtfFormatException when the type has no size, the chain loops, or the size overflows 64 bits
     */
    public long resolveSize(int id) {
        long multiplier = 1;
        int current = id;
        for (int steps = 0; steps <= typeCount(); steps++) {
            BtfType t = type(current);
            long size;
            if (t instanceof BtfType.Qualifier q) {
                current = q.type();
                continue;
            } else if (t instanceof BtfType.Var v) {
                current = v.type();
                continue;
            } else if (t instanceof BtfType.Array a) {
                multiplier = multiply(multiplier, Integer.toUnsignedLong(a.length()), id);
                current = a.type();
                continue;
            } else if (t instanceof BtfType.Ptr) {
                size = POINTER_SIZE;
            } else {
                size = ownSize(t);
                if (size < 0) {
                    throw new BtfFormatException("type [" + current + "] " + describe(current)
                            + " (" + t.kind() + ") has no size");
                }
            }
            return multiply(multiplier, size, id);
        }
        throw loop(id);
    }

    /** The size a sized kind states itself, or -1 for kinds that state none. */
    private static long ownSize(BtfType t) {
        int size;
        if (t instanceof BtfType.Int i) {
            size = i.size();
        } else if (t instanceof BtfType.Float f) {
            size = f.size();
        } else if (t instanceof BtfType.Composite c) {
            size = c.size();
        } else if (t instanceof BtfType.Enumeration e) {
            size = e.size();
        } else if (t instanceof BtfType.Datasec d) {
            size = d.size();
        } else {
            return -1;
        }
        return Integer.toUnsignedLong(size);
    }

    /**
     * A C-like description of type {@code id}: "int", "struct task_struct", "char[16]", "const char *".
     *
     * @param id a type id
     * @return the description, for messages and listings
     */
    public String describe(int id) {
        return BtfDescription.of(this, id);
    }

    /**
     * A copy with type {@code id} (one of this blob's own) replaced by {@code type}.
     *
     * @param id one of this blob's own ids
     * @param type the type put there
     * @return the edited copy; this one is unchanged
     * @throws IllegalArgumentException when {@code id} is not one of this blob's own, or {@code type} refers to
     *         an id that does not exist
     */
    public Btf replace(int id, BtfType type) {
        if (id < firstId || id > typeCount()) {
            throw new IllegalArgumentException("type id " + id + " is not one of this BTF's own ids ["
                    + firstId + ", " + typeCount() + "]");
        }
        List<BtfType> copy = new ArrayList<>(Arrays.asList(types));
        copy.set(id - firstId, type);
        return edited(copy);
    }

    /**
     * A copy with {@code type} appended; its id is the copy's {@link #typeCount()}.
     *
     * @param type the new type
     * @return the edited copy; this one is unchanged
     * @throws IllegalArgumentException when {@code type} refers to an id that does not exist
     */
    public Btf add(BtfType type) {
        List<BtfType> copy = new ArrayList<>(Arrays.asList(types));
        copy.add(type);
        return edited(copy);
    }

    /**
     * This blob's types and strings as a raw BTF blob the kernel accepts (BPF_BTF_LOAD).
     *
     * @return a new array, owned by the caller
     */
    public byte[] toBytes() {
        return BtfWriter.write(this);
    }

    /**
     * A copy with this blob's own types replaced by {@code ownTypes}, sharing its strings and base.
     *
     * @param ownTypes the new own types, ids from {@link #firstTypeId()} in list order
     * @return the edited copy; this one is unchanged
     * @throws IllegalArgumentException if a type refers to an id that does not exist
     */
    public Btf edited(List<BtfType> ownTypes) {
        Btf btf = new Btf(base, ownTypes, strings);
        try {
            btf.checkReferences();
        } catch (BtfFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return btf;
    }

    BtfStrings strings() {
        return strings;
    }

    /**
     * The string at {@code offset} of the string section (libbpf's {@code btf__str_by_offset}).
     *
     * @param offset the byte offset in the string section, as a type's name_off holds it
     * @param referrer what holds the offset, named in the error
     * @return the NUL-terminated string there
     * @throws BtfFormatException if the offset lies outside the string section
     */
    public String stringAt(long offset, String referrer) {
        return strings.at(offset, referrer);
    }

    /** Checks that every type refers only to ids that exist. */
    void checkReferences() {
        int last = typeCount();
        for (int i = 0; i < types.length; i++) {
            int id = firstId + i;
            BtfType t = types[i];
            t.references().forEach(ref -> {
                if (ref < 0 || ref > last) {
                    throw new BtfFormatException("BTF type [" + id + "] " + t.kind() + " '" + t.name()
                            + "' refers to type id " + Integer.toUnsignedString(ref)
                            + ", but the last type id is " + last);
                }
            });
        }
    }

    private Map<String, int[]> nameIndex() {
        Map<String, int[]> index = idsByName;
        if (index == null) {
            index = buildNameIndex();
            idsByName = index;
        }
        return index;
    }

    private Map<String, int[]> buildNameIndex() {
        Map<String, int[]> index = new HashMap<>(types.length * 2);
        for (int i = 0; i < types.length; i++) {
            String name = types[i].name();
            if (!name.isEmpty()) {
                int[] ids = index.get(name);
                if (ids == null) {
                    index.put(name, new int[] {firstId + i});
                } else {
                    int[] grown = Arrays.copyOf(ids, ids.length + 1);
                    grown[ids.length] = firstId + i;
                    index.put(name, grown);
                }
            }
        }
        return index;
    }

    private static long multiply(long a, long b, int id) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new BtfFormatException("type [" + id + "]: size overflows 64 bits");
        }
    }

    private BtfFormatException loop(int id) {
        return new BtfFormatException("type [" + id + "]: its chain of referenced types loops");
    }

    private static byte[] copy(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Btf other && firstId == other.firstId && Arrays.equals(types, other.types)
                && java.util.Objects.equals(base, other.base);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(types) * 31 + firstId;
    }

    @Override
    public String toString() {
        return "BTF with types [" + firstId + ", " + typeCount() + "]";
    }
}
