package io.reactorbpf.core.object;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.internal.btf.BtfFeature;
import io.reactorbpf.core.btf.BtfLinkage;
import io.reactorbpf.core.btf.BtfType;
import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.SyscallException;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Which BTF kinds the running kernel accepts, found by loading a tiny BTF blob per kind. Probed once per process
 * and cached; thread-safe.
 */
final class KernelBtfFeatures {

    private static volatile EnumSet<BtfFeature> missing;

    private KernelBtfFeatures() {
    }

    /** The features the running kernel lacks. */
    static Set<BtfFeature> missing() {
        EnumSet<BtfFeature> m = missing;
        if (m == null) {
            m = EnumSet.noneOf(BtfFeature.class);
            for (BtfFeature f : BtfFeature.values()) {
                if (!accepts(probe(f))) {
                    m.add(f);
                }
            }
            missing = m;
        }
        return EnumSet.copyOf(m);
    }

    /** A blob using {@code feature}; type 1 is always "int". */
    static List<BtfType> probe(BtfFeature feature) {
        BtfType.Int i = new BtfType.Int("int", 4, BtfType.Int.SIGNED, 0, 32);
        return switch (feature) {
            case FUNC -> List.of(i, new BtfType.FuncProto("", 1, List.of()), new BtfType.Func("probe", 2, BtfLinkage.STATIC));
            case FUNC_GLOBAL -> List.of(i, new BtfType.FuncProto("", 1, List.of()), new BtfType.Func("probe", 2, BtfLinkage.GLOBAL));
            case DATASEC -> List.of(i, new BtfType.Var("probe", 1, BtfLinkage.GLOBAL),
                    new BtfType.Datasec(".data", 4, List.of(new BtfType.VarSecinfo(2, 0, 4))));
            case FLOAT -> List.of(i, new BtfType.Float("float", 4));
            case DECL_TAG -> List.of(i, new BtfType.Var("probe", 1, BtfLinkage.GLOBAL),
                    new BtfType.DeclTag("tag", 2, -1, false));
            case TYPE_TAG -> List.of(i, new BtfType.TypeTag("tag", 1, false), new BtfType.Ptr("", 2));
            case ENUM64 -> List.of(i, new BtfType.Enum64("probe", 8, false, List.of(new BtfType.Enumerator("V", 1L << 40))));
        };
    }

    private static boolean accepts(List<BtfType> types) {
        try (FileDescriptor fd = Bpf.btfLoad(Btf.of(types).toBytes())) {
            return fd != null;
        } catch (SyscallException e) {
            return false;
        }
    }
}
