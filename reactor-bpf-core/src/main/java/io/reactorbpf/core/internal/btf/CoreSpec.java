package io.reactorbpf.core.internal.btf;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.CoreRelocationException;
import io.reactorbpf.core.btf.BtfType;
import java.util.ArrayList;
import java.util.List;

/**
 * A CO-RE access path resolved against one BTF, as libbpf's {@code bpf_core_spec}: the root type, the steps
 * that matter (named members and array indices; anonymous members are walked through but not kept), every
 * raw index taken (anonymous members included) and the bit offset reached. A local spec is parsed from the
 * relocation's access string; a target spec is found by {@link #match}ing a local spec against a candidate.
 * Immutable.
 */
final class CoreSpec {

    /** The longest access path libbpf accepts. */
    static final int MAX_LENGTH = 64;

    private final Btf btf;
    private final int rootTypeId;
    private final CoreReloKind kind;
    private final List<CoreAccessor> accessors;
    private final List<Integer> raw;
    private final long bitOffset;

    private CoreSpec(Builder b) {
        this.btf = b.btf;
        this.rootTypeId = b.rootTypeId;
        this.kind = b.kind;
        this.accessors = List.copyOf(b.accessors);
        this.raw = List.copyOf(b.raw);
        this.bitOffset = b.bitOffset;
    }

    Btf btf() {
        return btf;
    }

    int rootTypeId() {
        return rootTypeId;
    }

    List<CoreAccessor> accessors() {
        return accessors;
    }

    CoreAccessor last() {
        return accessors.get(accessors.size() - 1);
    }

    long bitOffset() {
        return bitOffset;
    }

    /**
     * Parses {@code access} ("0:1:2") for relocation {@code kind} on type {@code typeId} of {@code btf}.
     * Throws {@link CoreRelocationException} when the string does not fit the type.
     */
    static CoreSpec parse(Btf btf, int typeId, String access, CoreReloKind kind) {
        int[] indices = indices(access);
        Builder b = new Builder(btf, typeId, kind);
        if (!kind.isFieldBased() && !kind.isEnumValueBased()) {
            if (!access.equals("0")) {
                throw new CoreRelocationException("a type relocation's access string must be \"0\", not \"" + access + "\"");
            }
            return b.build();
        }
        int id = btf.skipModsAndTypedefs(typeId);
        BtfType t = btf.type(id);
        b.step(id, indices[0], null);
        if (kind.isEnumValueBased()) {
            if (!(t instanceof BtfType.Enumeration e)) {
                throw new CoreRelocationException(kind + " needs an enum, but the type is " + btf.describe(id));
            }
            if (indices.length > 1 || indices[0] >= e.values().size()) {
                throw new CoreRelocationException("access string " + access + " does not name one of the "
                        + e.values().size() + " enumerators of " + btf.describe(id));
            }
            b.accessors.set(0, new CoreAccessor(id, indices[0], e.values().get(indices[0]).name()));
            return b.build();
        }
        b.addBits(indices[0], btf.resolveSize(id));
        for (int i = 1; i < indices.length; i++) {
            id = btf.skipModsAndTypedefs(id);
            t = btf.type(id);
            int index = indices[i];
            b.push(index);
            if (t instanceof BtfType.Composite c) {
                if (index >= c.members().size()) {
                    throw new CoreRelocationException("index " + index + " at position " + i + " of access string "
                            + access + " is past the " + c.members().size() + " members of " + btf.describe(id));
                }
                BtfType.Member m = c.members().get(index);
                b.bitOffset += Integer.toUnsignedLong(m.bitOffset());
                if (!m.name().isEmpty()) {
                    b.accessors.add(new CoreAccessor(id, index, m.name()));
                }
                id = m.type();
            } else if (t instanceof BtfType.Array a) {
                int element = btf.skipModsAndTypedefs(a.type());
                if (!isFlexible(btf, b.last(), a) && Integer.toUnsignedLong(index) >= Integer.toUnsignedLong(a.length())) {
                    throw new CoreRelocationException("index " + index + " at position " + i + " of access string "
                            + access + " is past the end of " + btf.describe(id));
                }
                b.accessors.add(new CoreAccessor(element, index, null));
                b.addBits(index, btf.resolveSize(element));
                id = element;
            } else {
                throw new CoreRelocationException("position " + i + " of access string " + access + " indexes "
                        + btf.describe(id) + ", which is neither a struct, a union nor an array");
            }
        }
        return b.build();
    }

    /** "0:1:2" as [0, 1, 2]; a clear error for anything else. */
    private static int[] indices(String access) {
        if (access.isEmpty() || !access.matches("[0-9]{1,9}(:[0-9]{1,9})*")) {
            throw new CoreRelocationException("access string \"" + access
                    + "\" is not colon-separated indices such as 0:1:2");
        }
        String[] parts = access.split(":");
        if (parts.length > MAX_LENGTH) {
            throw new CoreRelocationException("access string " + access + " has " + parts.length
                    + " indices, more than the " + MAX_LENGTH + " allowed");
        }
        int[] indices = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            indices[i] = Integer.parseInt(parts[i]);
        }
        return indices;
    }

    /** A zero-length array that is the last member of the struct the previous step named. */
    private static boolean isFlexible(Btf btf, CoreAccessor previous, BtfType.Array array) {
        return previous != null && previous.name() != null && array.length() == 0
                && btf.type(previous.typeId()) instanceof BtfType.Composite c
                && previous.index() == c.members().size() - 1;
    }

    /**
     * This local spec followed through candidate {@code candidateId} of {@code target}: the target spec, or
     * null when the candidate lacks a named member, an enumerator, or room for an index, or is incompatible.
     */
    CoreSpec match(Btf target, int candidateId) {
        Builder b = new Builder(target, candidateId, kind);
        if (!kind.isFieldBased() && !kind.isEnumValueBased()) {
            boolean matches = kind == CoreReloKind.TYPE_MATCHES
                    ? CoreCompat.typesMatch(btf, rootTypeId, target, candidateId)
                    : CoreCompat.typesAreCompatible(btf, rootTypeId, target, candidateId);
            return matches ? b.build() : null;
        }
        if (kind.isEnumValueBased()) {
            return matchEnumerator(target, candidateId, b);
        }
        int id = candidateId;
        for (int i = 0; i < accessors.size(); i++) {
            CoreAccessor local = accessors.get(i);
            id = target.skipModsAndTypedefs(id);
            if (!local.isArrayIndex()) {
                id = matchMember(local, target, id, b);
                if (id < 0) {
                    return null;
                }
                continue;
            }
            if (i > 0) {
                if (!(target.type(id) instanceof BtfType.Array a)) {
                    return null;
                }
                if (!isFlexible(target, b.last(), a)
                        && Integer.toUnsignedLong(local.index()) >= Integer.toUnsignedLong(a.length())) {
                    return null;
                }
                id = target.skipModsAndTypedefs(a.type());
            }
            b.push(local.index());
            b.accessors.add(new CoreAccessor(id, local.index(), null));
            b.addBits(local.index(), target.resolveSize(id));
        }
        return b.build();
    }

    private CoreSpec matchEnumerator(Btf target, int candidateId, Builder b) {
        int id = target.skipModsAndTypedefs(candidateId);
        if (!(target.type(id) instanceof BtfType.Enumeration e)) {
            return null;
        }
        String wanted = CoreCompat.essentialName(accessors.get(0).name());
        for (int i = 0; i < e.values().size(); i++) {
            String name = e.values().get(i).name();
            if (CoreCompat.essentialName(name).equals(wanted)) {
                b.accessors.add(new CoreAccessor(id, i, name));
                b.push(i);
                return b.build();
            }
        }
        return null;
    }

    /**
     * Finds the member {@code local} names in target composite {@code targetId}, searching anonymous members
     * recursively; records the steps in {@code b} and returns the member's type id, or -1 when there is no
     * compatible member of that name.
     */
    private int matchMember(CoreAccessor local, Btf target, int targetId, Builder b) {
        int id = target.skipModsAndTypedefs(targetId);
        if (!(target.type(id) instanceof BtfType.Composite composite)) {
            return -1;
        }
        BtfType.Member localMember = ((BtfType.Composite) btf.type(local.typeId())).members().get(local.index());
        List<BtfType.Member> members = composite.members();
        for (int i = 0; i < members.size(); i++) {
            BtfType.Member m = members.get(i);
            long bits = Integer.toUnsignedLong(m.bitOffset());
            int rawMark = b.raw.size();
            int accessorMark = b.accessors.size();
            b.push(i);
            b.bitOffset += bits;
            if (m.name().isEmpty()) {
                int found = matchMember(local, target, m.type(), b);
                if (found >= 0) {
                    return found;
                }
            } else if (m.name().equals(localMember.name())) {
                if (!CoreCompat.fieldsAreCompatible(btf, localMember.type(), target, m.type())) {
                    return -1;
                }
                b.accessors.add(new CoreAccessor(id, i, m.name()));
                return m.type();
            }
            b.raw.subList(rawMark, b.raw.size()).clear();
            b.accessors.subList(accessorMark, b.accessors.size()).clear();
            b.bitOffset -= bits;
        }
        return -1;
    }

    /**
     * The path as C: "struct task_struct.real_parent" or "struct s.a[3]", then the raw indices, as in
     * "struct s.a[3] (0:1:3)"; type relocations give the type, enum relocations "enum e::NAME".
     */
    String describe() {
        String root = btf.describe(rootTypeId);
        if (accessors.isEmpty()) {
            return root;
        }
        if (kind.isEnumValueBased()) {
            return root + "::" + accessors.get(0).name();
        }
        StringBuilder s = new StringBuilder(root);
        for (int i = 0; i < accessors.size(); i++) {
            CoreAccessor a = accessors.get(i);
            if (!a.isArrayIndex()) {
                s.append('.').append(a.name());
            } else if (i > 0 || a.index() > 0) {
                s.append('[').append(a.index()).append(']');
            }
        }
        s.append(" (");
        for (int i = 0; i < raw.size(); i++) {
            s.append(i == 0 ? "" : ":").append(raw.get(i));
        }
        return s.append(')').toString();
    }

    /** Collects a spec's steps while it is parsed or matched. */
    private static final class Builder {
        private final Btf btf;
        private final int rootTypeId;
        private final CoreReloKind kind;
        private final List<CoreAccessor> accessors = new ArrayList<>();
        private final List<Integer> raw = new ArrayList<>();
        private long bitOffset;

        Builder(Btf btf, int rootTypeId, CoreReloKind kind) {
            this.btf = btf;
            this.rootTypeId = rootTypeId;
            this.kind = kind;
        }

        void step(int typeId, int index, String name) {
            push(index);
            accessors.add(new CoreAccessor(typeId, index, name));
        }

        void push(int index) {
            if (raw.size() == MAX_LENGTH) {
                throw new CoreRelocationException("the access path nests structs, unions and arrays more than "
                        + MAX_LENGTH + " levels deep");
            }
            raw.add(index);
        }

        CoreAccessor last() {
            return accessors.isEmpty() ? null : accessors.get(accessors.size() - 1);
        }

        /** Adds {@code index} elements of {@code size} bytes to the bit offset. */
        void addBits(int index, long size) {
            try {
                bitOffset = Math.addExact(bitOffset, Math.multiplyExact(Math.multiplyExact(index, size), 8L));
            } catch (ArithmeticException e) {
                throw new CoreRelocationException("index " + index + " of " + size + "-byte elements overflows the offset");
            }
        }

        CoreSpec build() {
            return new CoreSpec(this);
        }
    }
}
