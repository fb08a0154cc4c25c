package io.reactorbpf.core.object;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfLinkage;
import io.reactorbpf.core.btf.BtfType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * __ksym externs without the kernel: the .ksyms DATASEC as the loader rewrites it, /proc/kallsyms as it is read,
 * and typeless resolution against a made-up kallsyms.
 */
class KsymExternsTest {

    @TempDir
    Path dir;

    @Test
    void everyKsymBecomesAFourByteGlobalIntVariableAndKfuncsGlobalFunctionsBehindOneDummy() {
        for (String object : List.of("loader_ksym", "loader_kfunc")) {
            Btf btf = TestObjects.open(object).btf().orElseThrow();
            BtfType.Datasec d = (BtfType.Datasec) btf.type(KsymExterns.datasec(btf).getAsInt());
            assertEquals(4 * d.vars().size(), d.size());
            for (int i = 0; i < d.vars().size(); i++) {
                BtfType.VarSecinfo v = d.vars().get(i);
                assertEquals(4 * i, v.offset());
                assertEquals(4, v.size());
                BtfType.Var var = (BtfType.Var) btf.type(v.type());
                assertEquals(BtfLinkage.GLOBAL, var.linkage());
                assertEquals(4, btf.resolveSize(var.type()));
            }
            for (int id = btf.firstTypeId(); id <= btf.typeCount(); id++) {
                if (btf.type(id) instanceof BtfType.Func f) {
                    assertTrue(f.linkage() != BtfLinkage.EXTERN, f + " is still extern");
                }
            }
        }
    }

    @Test
    void kallsymsIsReadByNameWithLtoSuffixesOfDataSymbolsIgnored() throws IOException {
        Path kallsyms = Files.writeString(dir.resolve("kallsyms"), """
                ffffffff81000000 T _stext
                ffffffff82000010 d counter.llvm.123456
                ffffffff81000100 t helper
                ffffffff81000200 t helper
                ffffffffc0000000 t mod_fn\t[some_module]
                """);
        Map<String, List<Long>> found = KernelSymbols.addresses(kallsyms, Set.of("_stext", "counter", "helper", "mod_fn", "none"));
        assertEquals(List.of(0xffffffff81000000L), found.get("_stext"));
        assertEquals(List.of(0xffffffff82000010L), found.get("counter"));
        assertEquals(2, found.get("helper").size());
        assertEquals(List.of(0xffffffffc0000000L), found.get("mod_fn"));
        assertTrue(!found.containsKey("none"));
    }

    private KsymResolver typeless(Path kallsyms, String name, boolean weak) {
        return new KsymResolver(Map.of(name, new KsymExtern(name, false, 0, weak)), null,
                () -> { throw new AssertionError("a typeless extern needs no kernel BTF"); },
                base -> { throw new AssertionError("a typeless extern needs no module BTF"); }, kallsyms);
    }

    @Test
    void aSymbolAtTwoAddressesIsAmbiguousAndOneAtZeroIsHidden() throws IOException {
        Path kallsyms = Files.writeString(dir.resolve("kallsyms"), """
                ffffffff81000100 t helper
                ffffffff81000200 t helper
                0000000000000000 T hidden
                """);
        UnresolvedExternException twice = assertThrows(UnresolvedExternException.class,
                () -> typeless(kallsyms, "helper", false).resolve("p", "helper"));
        assertTrue(twice.getMessage().endsWith("lists it at 2 addresses (0xffffffff81000100, 0xffffffff81000200), so"
                + " which one is meant is ambiguous"), twice.getMessage());
        UnresolvedExternException hidden = assertThrows(UnresolvedExternException.class,
                () -> typeless(kallsyms, "hidden", false).resolve("p", "hidden"));
        assertTrue(hidden.getMessage().contains("kernel.kptr_restrict hides kernel addresses"), hidden.getMessage());
    }

    @Test
    void aMissingWeakTypelessSymbolIsAddressZero() throws IOException {
        Path kallsyms = Files.writeString(dir.resolve("kallsyms"), "ffffffff81000000 T _stext\n");
        KsymResolver.Resolution r = typeless(kallsyms, "absent", true).resolve("p", "absent");
        assertEquals(new KsymResolver.Resolution(0, 0), r);
        assertEquals(0xffffffff81000000L, typeless(kallsyms, "_stext", false).resolve("p", "_stext").address());
    }
}
