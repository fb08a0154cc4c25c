package io.reactorbpf.core.internal.btf;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.CoreRelocationException;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.btf.BtfKind;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * The rules deciding whether a local type and a target type describe the same thing, as libbpf's
 * relo_core.c states them: field compatibility for field relocations, type compatibility for TYPE_EXISTS,
 * TYPE_SIZE and TYPE_ID_TARGET, and the stricter type match for TYPE_MATCHES. Stateless; safe from any thread.
 */
public final class CoreCompat {

    /** How deep pointers, arrays and function prototypes may nest before a comparison gives up. */
    private static final int MAX_DEPTH = 32;

    private CoreCompat() {
    }

    /**
     * A type name without its flavor: "task_struct___old" gives "task_struct". The flavor is what follows the
     * last "___" that has a non-underscore character on both sides.
     */
    static String essentialName(String name) {
        for (int i = name.length() - 5; i >= 0; i--) {
            if (name.charAt(i) != '_' && name.startsWith("___", i + 1) && name.charAt(i + 4) != '_') {
                return name.substring(0, i + 1);
            }
        }
        return name;
    }

    /** Kinds a candidate may have for a local type: the same kind, or any enum for an enum. */
    static boolean kindsCompatible(BtfType a, BtfType b) {
        return a.kind() == b.kind() || (a instanceof BtfType.Enumeration && b instanceof BtfType.Enumeration);
    }

    /**
     * Whether a local field of type {@code localId} can be relocated to a target field of type {@code targetId}:
     * any two structs or unions, pointers, floats; ints unless either is a legacy bitfield int; enums and
     * forward declarations when their names agree or one is anonymous; arrays by element type.
     */
    static boolean fieldsAreCompatible(Btf local, int localId, Btf target, int targetId) {
        int l = localId;
        int t = targetId;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            l = local.skipModsAndTypedefs(l);
            t = target.skipModsAndTypedefs(t);
            BtfType lt = local.type(l);
            BtfType tt = target.type(t);
            if (lt instanceof BtfType.Composite && tt instanceof BtfType.Composite) {
                return true;
            }
            if (!kindsCompatible(lt, tt)) {
                return false;
            }
            switch (lt.kind()) {
                case PTR, FLOAT:
                    return true;
                case FWD, ENUM, ENUM64: {
                    String ln = essentialName(lt.name());
                    String tn = essentialName(tt.name());
                    return ln.isEmpty() || tn.isEmpty() || ln.equals(tn);
                }
                case INT:
                    return ((BtfType.Int) lt).bitOffset() == 0 && ((BtfType.Int) tt).bitOffset() == 0;
                case ARRAY:
                    l = ((BtfType.Array) lt).type();
                    t = ((BtfType.Array) tt).type();
                    continue;
                default:
                    return false;
            }
        }
        throw tooDeep(local, localId);
    }

    /**
     * Whether local type {@code localId} and target type {@code targetId} (whose names already agree) are
     * compatible: same kind after qualifiers and typedefs, ints without bit offsets, pointers and arrays by
     * what they point to or hold, function prototypes by parameter count, parameters and return type. The loader
     * also checks a typed {@code __ksym} extern against the kernel's variable or function with it, as libbpf does.
     * Throws a {@link CoreRelocationException} for types nested deeper than 32 levels.
     */
    public static boolean typesAreCompatible(Btf local, int localId, Btf target, int targetId) {
        return typesAreCompatible(local, localId, target, targetId, MAX_DEPTH);
    }

    private static boolean typesAreCompatible(Btf local, int localId, Btf target, int targetId, int level) {
        if (!kindsCompatible(local.type(localId), target.type(targetId))) {
            return false;
        }
        int l = localId;
        int t = targetId;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            l = local.skipModsAndTypedefs(l);
            t = target.skipModsAndTypedefs(t);
            BtfType lt = local.type(l);
            BtfType tt = target.type(t);
            if (!kindsCompatible(lt, tt)) {
                return false;
            }
            switch (lt.kind()) {
                case VOID, STRUCT, UNION, ENUM, ENUM64, FWD:
                    return true;
                case INT:
                    return ((BtfType.Int) lt).bitOffset() == 0 && ((BtfType.Int) tt).bitOffset() == 0;
                case PTR:
                    l = ((BtfType.Ptr) lt).type();
                    t = ((BtfType.Ptr) tt).type();
                    continue;
                case ARRAY:
                    l = ((BtfType.Array) lt).type();
                    t = ((BtfType.Array) tt).type();
                    continue;
                case FUNC_PROTO: {
                    BtfType.FuncProto lf = (BtfType.FuncProto) lt;
                    BtfType.FuncProto tf = (BtfType.FuncProto) tt;
                    if (level <= 0 && !lf.params().isEmpty()) {
                        throw tooDeep(local, localId);
                    }
                    if (!paramsAgree(lf, tf, (lp, tp) -> typesAreCompatible(local, local.skipModsAndTypedefs(lp),
                            target, target.skipModsAndTypedefs(tp), level - 1))) {
                        return false;
                    }
                    l = lf.returnType();
                    t = tf.returnType();
                    continue;
                }
                default:
                    return false;
            }
        }
        throw tooDeep(local, localId);
    }

    /**
     * Whether local type {@code localId} matches target type {@code targetId} (TYPE_MATCHES): names agree
     * at every level, kinds are the same (a struct or union behind a pointer may meet a forward declaration,
     * an enum an enum64), ints agree in size and signedness, arrays in length, every local member or
     * enumerator has a same-named target one (members matching recursively), prototypes agree parameter by
     * parameter.
     */
    static boolean typesMatch(Btf local, int localId, Btf target, int targetId) {
        return typesMatch(local, localId, target, targetId, false, MAX_DEPTH);
    }

    private static boolean typesMatch(Btf local, int localId, Btf target, int targetId, boolean behindPointer,
                                      int level) {
        if (level <= 0) {
            throw tooDeep(local, localId);
        }
        int l = localId;
        int t = targetId;
        boolean behindPtr = behindPointer;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            l = local.skipModsAndTypedefs(l);
            t = target.skipModsAndTypedefs(t);
            BtfType lt = local.type(l);
            BtfType tt = target.type(t);
            if (!namesMatch(lt.name(), tt.name())) {
                return false;
            }
            switch (lt.kind()) {
                case VOID:
                    return tt.kind() == BtfKind.VOID;
                case FWD: {
                    boolean localUnion = ((BtfType.Fwd) lt).union();
                    if (tt instanceof BtfType.Fwd tf) {
                        return localUnion == tf.union();
                    }
                    return behindPtr && (localUnion ? tt.kind() == BtfKind.UNION : tt.kind() == BtfKind.STRUCT);
                }
                case ENUM, ENUM64:
                    return tt instanceof BtfType.Enumeration te && enumsMatch((BtfType.Enumeration) lt, te);
                case STRUCT, UNION:
                    if (behindPtr) {
                        if (lt.kind() == tt.kind()) {
                            return true;
                        }
                        return tt instanceof BtfType.Fwd tf && tf.union() == (lt.kind() == BtfKind.UNION);
                    }
                    return lt.kind() == tt.kind()
                            && compositesMatch(local, (BtfType.Composite) lt, target, (BtfType.Composite) tt, level);
                case INT:
                    return tt instanceof BtfType.Int ti && ((BtfType.Int) lt).size() == ti.size()
                            && ((BtfType.Int) lt).isSigned() == ti.isSigned();
                case PTR:
                    if (!(tt instanceof BtfType.Ptr tp)) {
                        return false;
                    }
                    behindPtr = true;
                    l = ((BtfType.Ptr) lt).type();
                    t = tp.type();
                    continue;
                case ARRAY: {
                    if (!(tt instanceof BtfType.Array ta) || ((BtfType.Array) lt).length() != ta.length()) {
                        return false;
                    }
                    l = ((BtfType.Array) lt).type();
                    t = ta.type();
                    continue;
                }
                case FUNC_PROTO: {
                    BtfType.FuncProto lf = (BtfType.FuncProto) lt;
                    boolean paramsBehindPtr = behindPtr;
                    if (!(tt instanceof BtfType.FuncProto tf) || !paramsAgree(lf, tf,
                            (lp, tp) -> typesMatch(local, lp, target, tp, paramsBehindPtr, level - 1))) {
                        return false;
                    }
                    l = lf.returnType();
                    t = tf.returnType();
                    continue;
                }
                default:
                    return false;
            }
        }
        throw tooDeep(local, localId);
    }

    /** Both prototypes take as many parameters, and {@code agree} holds for each pair of parameter types. */
    private static boolean paramsAgree(BtfType.FuncProto local, BtfType.FuncProto target,
                                       BiPredicate<Integer, Integer> agree) {
        List<BtfType.Param> lp = local.params();
        List<BtfType.Param> tp = target.params();
        if (lp.size() != tp.size()) {
            return false;
        }
        for (int i = 0; i < lp.size(); i++) {
            if (!agree.test(lp.get(i).type(), tp.get(i).type())) {
                return false;
            }
        }
        return true;
    }

    /** Names agree without flavors; an anonymous target matches only an anonymous local. */
    private static boolean namesMatch(String local, String target) {
        if (target.isEmpty()) {
            return local.isEmpty();
        }
        return essentialName(local).equals(essentialName(target));
    }

    private static boolean enumsMatch(BtfType.Enumeration local, BtfType.Enumeration target) {
        if (local.size() != target.size() || local.values().size() > target.values().size()) {
            return false;
        }
        for (BtfType.Enumerator value : local.values()) {
            if (target.values().stream().noneMatch(v -> namesMatch(value.name(), v.name()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean compositesMatch(Btf local, BtfType.Composite lt, Btf target, BtfType.Composite tt,
                                           int level) {
        if (lt.members().size() > tt.members().size()) {
            return false;
        }
        for (BtfType.Member lm : lt.members()) {
            boolean matched = false;
            for (BtfType.Member tm : tt.members()) {
                if (namesMatch(lm.name(), tm.name())
                        && typesMatch(local, lm.type(), target, tm.type(), false, level - 1)) {
                    matched = true;
                    break;
                }
            }
            if (!matched) {
                return false;
            }
        }
        return true;
    }

    private static CoreRelocationException tooDeep(Btf local, int localId) {
        return new CoreRelocationException("type [" + localId + "] " + local.describe(localId)
                + " nests pointers, arrays or prototypes more than " + MAX_DEPTH + " levels deep");
    }
}
