package io.reactorbpf.core.internal.btf;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The target types a local type may relocate to: every target type (base types included) whose name,
 * without its "___flavor" suffix, equals the local type's, and whose kind is the local kind (any enum for an
 * enum). The index by essential name is built on first use. Not thread-safe.
 */
final class CoreCandidates {

    private final Btf target;
    private Map<String, List<Integer>> byEssentialName;

    CoreCandidates(Btf target) {
        this.target = target;
    }

    Btf target() {
        return target;
    }

    /** Candidate ids for {@code local}, named {@code name}, in id order. */
    int[] of(BtfType local, String name) {
        return index().getOrDefault(CoreCompat.essentialName(name), List.of()).stream()
                .mapToInt(Integer::intValue)
                .filter(id -> CoreCompat.kindsCompatible(local, target.type(id)))
                .toArray();
    }

    private Map<String, List<Integer>> index() {
        if (byEssentialName == null) {
            Map<String, List<Integer>> index = new HashMap<>();
            for (int id = 1; id <= target.typeCount(); id++) {
                String name = target.type(id).name();
                if (!name.isEmpty()) {
                    index.computeIfAbsent(CoreCompat.essentialName(name), n -> new ArrayList<>(1)).add(id);
                }
            }
            byEssentialName = index;
        }
        return byEssentialName;
    }
}
