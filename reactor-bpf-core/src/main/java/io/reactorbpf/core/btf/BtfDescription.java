package io.reactorbpf.core.btf;

import java.util.StringJoiner;

/** Renders a type as a short C-like phrase for messages: "struct task_struct", "char[16]", "const char *". */
final class BtfDescription {

    /** Types visited per description: enough for real declarations, bounded for looping or huge ones. */
    private static final int MAX_VISITS = 64;

    private final Btf btf;
    private int visits;

    private BtfDescription(Btf btf) {
        this.btf = btf;
    }

    static String of(Btf btf, int id) {
        return new BtfDescription(btf).describe(id);
    }

    private String describe(int id) {
        if (++visits > MAX_VISITS) {
            return "...";
        }
        BtfType t = btf.type(id);
        String name = t.name().isEmpty() ? "(anon)" : t.name();
        return switch (t.kind()) {
            case VOID -> "void";
            case INT, FLOAT, TYPEDEF -> name;
            case STRUCT -> "struct " + name;
            case UNION -> "union " + name;
            case ENUM, ENUM64 -> "enum " + name;
            case FWD -> (((BtfType.Fwd) t).union() ? "union " : "struct ") + name;
            case PTR -> pointer(describe(((BtfType.Ptr) t).type()));
            case ARRAY -> {
                BtfType.Array a = (BtfType.Array) t;
                yield describe(a.type()) + "[" + Integer.toUnsignedString(a.length()) + "]";
            }
            case CONST -> "const " + describe(((BtfType.Const) t).type());
            case VOLATILE -> "volatile " + describe(((BtfType.Volatile) t).type());
            case RESTRICT -> describe(((BtfType.Restrict) t).type()) + " restrict";
            case TYPE_TAG -> describe(((BtfType.TypeTag) t).type());
            case FUNC -> "func " + name;
            case FUNC_PROTO -> {
                BtfType.FuncProto f = (BtfType.FuncProto) t;
                StringJoiner params = new StringJoiner(", ", "(", ")");
                for (BtfType.Param p : f.params()) {
                    params.add(p.type() == 0 ? "..." : describe(p.type()));
                }
                yield describe(f.returnType()) + " (*)" + params;
            }
            case VAR -> "var " + name;
            case DATASEC -> "datasec " + name;
            case DECL_TAG -> "decl_tag " + name;
        };
    }

    private static String pointer(String target) {
        return target.endsWith("*") ? target + "*" : target + " *";
    }
}
