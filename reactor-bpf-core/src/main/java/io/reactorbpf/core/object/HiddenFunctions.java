package io.reactorbpf.core.object;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfLinkage;
import io.reactorbpf.core.btf.BtfType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Global and weak subprograms of hidden visibility ({@code __hidden}, as bpf/usdt.bpf.h declares
 * {@code bpf_usdt_arg}) get static linkage in the BTF the kernel sees, as libbpf gives them: the verifier then
 * checks them with their caller's context (a pointer to the caller's stack is known to be valid) instead of alone,
 * which such functions are not written to pass. Stateless.
 */
final class HiddenFunctions {

    private HiddenFunctions() {
    }

    /** {@code btf} with every GLOBAL FUNC named after a hidden function of {@code code} made STATIC; itself when none. */
    static Btf markStatic(Btf btf, Collection<CodeSection> code) {
        Set<String> hidden = code.stream().flatMap(s -> s.functions().stream()).filter(CodeFunction::hidden)
                .map(CodeFunction::name).collect(Collectors.toSet());
        if (hidden.isEmpty()) {
            return btf;
        }
        List<BtfType> types = new ArrayList<>(btf.types());
        boolean changed = false;
        for (int i = 0; i < types.size(); i++) {
            if (types.get(i) instanceof BtfType.Func f && f.linkage() == BtfLinkage.GLOBAL && hidden.contains(f.name())) {
                types.set(i, new BtfType.Func(f.name(), f.type(), BtfLinkage.STATIC));
                changed = true;
            }
        }
        return changed ? btf.edited(types) : btf;
    }
}
