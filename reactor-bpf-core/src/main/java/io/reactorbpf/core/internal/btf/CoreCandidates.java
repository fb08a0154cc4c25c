package io.reactorbpf.core.internal.btf;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The target types a local type may relocate to: every target type (base types included) whose name,
 * without its "___flavor" suffix, equals the local type's, and whose kind is the local kind (any enum for an
 * enum). The index by essential name is built once per target BTF (the running kernel's has some 100,000 types)
 * and shared, immutable, by every relocator of that target while the target is reachable. Thread-safe.
 */
final class CoreCandidates {

    private static final int[] NONE = new int[0];
    // keyed by identity (Btf keeps Object's equals): one index per parsed target, dropped with it
    private static final Map<Btf, Map<String, int[]>> INDEXES = Collections.synchronizedMap(new WeakHashMap<>());

    private final Btf target;

    CoreCandidates(Btf target) {
        this.target = target;
    }

    Btf target() {
        return target;
    }

    /** Candidate ids for {@code local}, named {@code name}, in id order. */
    int[] of(BtfType local, String name) {
        int[] ids = INDEXES.computeIfAbsent(target, CoreCandidates::index)
                .getOrDefault(CoreCompat.essentialName(name), NONE);
        return java.util.Arrays.stream(ids).filter(id -> CoreCompat.kindsCompatible(local, target.type(id))).toArray();
    }

    private static Map<String, int[]> index(Btf target) {
        Map<String, List<Integer>> lists = new HashMap<>();
        for (int id = 1; id <= target.typeCount(); id++) {
            String name = target.type(id).name();
            if (!name.isEmpty()) {
                lists.computeIfAbsent(CoreCompat.essentialName(name), n -> new ArrayList<>(1)).add(id);
            }
        }
        Map<String, int[]> index = new HashMap<>(lists.size() * 4 / 3 + 1);
        lists.forEach((name, ids) -> index.put(name, ids.stream().mapToInt(Integer::intValue).toArray()));
        return Collections.unmodifiableMap(index);
    }
}
