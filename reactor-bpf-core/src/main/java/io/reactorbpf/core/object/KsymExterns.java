package io.reactorbpf.core.object;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfKind;
import io.reactorbpf.core.btf.BtfLinkage;
import io.reactorbpf.core.btf.BtfType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The {@code __ksym} externs of an object, which clang lists in a DATASEC named {@code .ksyms} with no section
 * behind it: kernel variables, kernel symbols used for their address, and kfuncs. The kernel takes no extern VAR
 * or FUNC in a program's BTF, so, as libbpf does, each becomes a 4-byte int variable of the DATASEC (a kfunc is
 * replaced there by one dummy variable, its FUNC made global with every parameter named). What they resolve to is
 * decided at load ({@link KsymResolver}). Stateless; runs while an object is opened.
 */
final class KsymExterns {

    static final String SECTION = ".ksyms";
    /** The variable that stands for the kfuncs in the DATASEC, and the name given to their unnamed parameters. */
    static final String DUMMY = "dummy_ksym";

    private KsymExterns() {
    }

    /** The id of the {@code .ksyms} DATASEC, when the object has externs there. */
    static OptionalInt datasec(Btf btf) {
        return btf == null ? OptionalInt.empty() : btf.findByName(SECTION, BtfKind.DATASEC);
    }

    /**
     * The externs of {@code btf}'s {@code .ksyms} DATASEC by name, read before {@link #layout} rewrites them.
     *
     * @param weak the names of the undefined ELF symbols bound WEAK ({@code __weak})
     * @throws ObjectFormatException when the DATASEC lists something other than a VAR or FUNC
     */
    static Map<String, KsymExtern> externs(Btf btf, Set<String> weak) {
        Map<String, KsymExtern> externs = new LinkedHashMap<>();
        OptionalInt id = datasec(btf);
        if (id.isEmpty()) {
            return externs;
        }
        for (BtfType.VarSecinfo v : ((BtfType.Datasec) btf.type(id.getAsInt())).vars()) {
            BtfType t = btf.type(v.type());
            if (t instanceof BtfType.Var var) {
                externs.put(var.name(), new KsymExtern(var.name(), false, btf.skipModsAndTypedefs(var.type()),
                        weak.contains(var.name())));
            } else if (t instanceof BtfType.Func f) {
                externs.put(f.name(), new KsymExtern(f.name(), true, f.type(), weak.contains(f.name())));
            } else {
                throw new ObjectFormatException("DATASEC .ksyms lists type [" + v.type() + "] " + t.kind() + " '"
                        + t.name() + "', which is neither an extern variable nor an extern function");
            }
        }
        return externs;
    }

    /** {@code btf} with its {@code .ksyms} DATASEC made acceptable to the kernel, as the class comment says. */
    static Btf layout(Btf btf) {
        OptionalInt id = datasec(btf);
        if (id.isEmpty()) {
            return btf;
        }
        Btf out = btf;
        int intId = intType(out);
        if (intId == 0) {
            out = out.add(new BtfType.Int("int", 4, BtfType.Int.SIGNED, 0, 32));
            intId = out.typeCount();
        }
        int dummy = 0;
        List<BtfType.VarSecinfo> vars = new ArrayList<>();
        for (BtfType.VarSecinfo v : ((BtfType.Datasec) btf.type(id.getAsInt())).vars()) {
            BtfType t = out.type(v.type());
            int entry = v.type();
            if (t instanceof BtfType.Func f) {
                if (dummy == 0) {
                    out = out.add(new BtfType.Var(DUMMY, intId, BtfLinkage.GLOBAL));
                    dummy = out.typeCount();
                }
                out = out.replace(v.type(), new BtfType.Func(f.name(), f.type(), BtfLinkage.GLOBAL));
                if (out.type(f.type()) instanceof BtfType.FuncProto proto) {
                    out = out.replace(f.type(), named(proto));
                }
                entry = dummy;
            } else if (t instanceof BtfType.Var var) {
                out = out.replace(v.type(), new BtfType.Var(var.name(), intId, BtfLinkage.GLOBAL));
            }
            vars.add(new BtfType.VarSecinfo(entry, 4 * vars.size(), 4));
        }
        return out.replace(id.getAsInt(), new BtfType.Datasec(SECTION, 4 * vars.size(), vars));
    }

    /** A 4-byte int of {@code btf}, 0 when it has none. */
    private static int intType(Btf btf) {
        for (int id = btf.firstTypeId(); id <= btf.typeCount(); id++) {
            if (btf.type(id) instanceof BtfType.Int i && i.size() == 4 && i.bitOffset() == 0 && !i.isBool()) {
                return id;
            }
        }
        return 0;
    }

    /** {@code proto} with its unnamed parameters named {@link #DUMMY}: a global FUNC's parameters need names. */
    private static BtfType.FuncProto named(BtfType.FuncProto proto) {
        List<BtfType.Param> params = new ArrayList<>();
        for (BtfType.Param p : proto.params()) {
            params.add(p.type() != 0 && (p.name() == null || p.name().isEmpty()) ? new BtfType.Param(DUMMY, p.type()) : p);
        }
        return new BtfType.FuncProto(proto.name(), proto.returnType(), params);
    }
}
