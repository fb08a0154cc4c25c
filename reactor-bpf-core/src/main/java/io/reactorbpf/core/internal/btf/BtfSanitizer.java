package io.reactorbpf.core.internal.btf;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.btf.BtfLinkage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rewrites types of kinds a kernel lacks into kinds it accepts, keeping every type id and size so that
 * programs, maps and .BTF.ext records that refer to ids stay valid. Stateless; safe from any thread.
 */
public final class BtfSanitizer {

    /** Name of the 1-byte INT added as member type when ENUM64 is rewritten as a union. */
    public static final String ENUM64_PLACEHOLDER = "enum64_placeholder";

    private BtfSanitizer() {
    }

    /** A copy of {@code btf} without the kinds in {@code missing}; {@code btf} itself when nothing changes. */
    public static Btf sanitize(Btf btf, Set<BtfFeature> missing) {
        if (missing.isEmpty()) {
            return btf;
        }
        List<BtfType> types = new ArrayList<>(btf.types());
        boolean changed = false;
        int placeholder = 0;
        for (int i = 0; i < types.size(); i++) {
            BtfType t = types.get(i);
            BtfType fixed = rewrite(btf, t, missing);
            if (fixed == null) {
                if (placeholder == 0) {
                    types.add(new BtfType.Int(ENUM64_PLACEHOLDER, 1, 0, 0, 8));
                    placeholder = btf.firstTypeId() + types.size() - 1;
                }
                fixed = enum64AsUnion((BtfType.Enum64) t, placeholder);
            }
            if (!fixed.equals(t)) {
                types.set(i, fixed);
                changed = true;
            }
        }
        return changed ? btf.edited(types) : btf;
    }

    /** The replacement for {@code t}, or null for an ENUM64 that needs the placeholder type. */
    private static BtfType rewrite(Btf btf, BtfType t, Set<BtfFeature> missing) {
        switch (t.kind()) {
            case VAR:
                return missing.contains(BtfFeature.DATASEC) ? byteInt(t.name()) : t;
            case DATASEC:
                return missing.contains(BtfFeature.DATASEC) ? datasecAsStruct(btf, (BtfType.Datasec) t) : t;
            case FUNC: {
                BtfType.Func f = (BtfType.Func) t;
                if (missing.contains(BtfFeature.FUNC)) {
                    return new BtfType.Typedef(f.name(), f.type());
                }
                if (missing.contains(BtfFeature.FUNC_GLOBAL) && f.linkage() == BtfLinkage.GLOBAL) {
                    return new BtfType.Func(f.name(), f.type(), BtfLinkage.STATIC);
                }
                return t;
            }
            case FUNC_PROTO:
                return missing.contains(BtfFeature.FUNC) ? protoAsEnum((BtfType.FuncProto) t) : t;
            case FLOAT:
                return missing.contains(BtfFeature.FLOAT)
                        ? new BtfType.Struct("", ((BtfType.Float) t).size(), false, List.of()) : t;
            case DECL_TAG:
                return missing.contains(BtfFeature.DECL_TAG) ? byteInt("") : t;
            case TYPE_TAG:
                return missing.contains(BtfFeature.TYPE_TAG) ? new BtfType.Const("", ((BtfType.TypeTag) t).type()) : t;
            case ENUM: {
                BtfType.Enum e = (BtfType.Enum) t;
                return missing.contains(BtfFeature.ENUM64) && e.signed()
                        ? new BtfType.Enum(e.name(), e.size(), false, e.values()) : t;
            }
            case ENUM64:
                return missing.contains(BtfFeature.ENUM64) ? null : t;
            default:
                return t;
        }
    }

    /** The kernel accepts a 1-byte INT with any valid name where a VAR or DECL_TAG stood. */
    private static BtfType.Int byteInt(String name) {
        return new BtfType.Int(name, 1, 0, 0, 8);
    }

    /** Struct names must be C identifiers, so ".data" becomes "_data"; members keep the variables' names. */
    private static BtfType.Struct datasecAsStruct(Btf btf, BtfType.Datasec d) {
        List<BtfType.Member> members = new ArrayList<>(d.vars().size());
        for (BtfType.VarSecinfo v : d.vars()) {
            members.add(new BtfType.Member(btf.type(v.type()).name(), v.type(), v.offset() * 8, 0));
        }
        return new BtfType.Struct(d.name().replace('.', '_').replace('?', '_'), d.size(), false, members);
    }

    /** Parameter names survive as enumerator names; a 4-byte size keeps the kernel's enum check happy. */
    private static BtfType.Enum protoAsEnum(BtfType.FuncProto f) {
        List<BtfType.Enumerator> values = new ArrayList<>(f.params().size());
        for (BtfType.Param p : f.params()) {
            values.add(new BtfType.Enumerator(p.name(), p.type()));
        }
        return new BtfType.Enum("", 4, false, values);
    }

    private static BtfType.Union enum64AsUnion(BtfType.Enum64 e, int placeholder) {
        List<BtfType.Member> members = new ArrayList<>(e.values().size());
        for (BtfType.Enumerator v : e.values()) {
            members.add(new BtfType.Member(v.name(), placeholder, 0, 0));
        }
        return new BtfType.Union(e.name(), e.size(), false, members);
    }
}
