package io.reactorbpf.core.btf.value;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The names nearest a misspelt one, for error messages: by edit distance, or containing it. */
final class CloseNames {

    private static final int LIMIT = 5;

    private CloseNames() {
    }

    static List<String> of(String wanted, List<String> candidates) {
        String key = wanted.toLowerCase(Locale.ROOT);
        int allowed = Math.max(2, key.length() / 3);
        record Scored(String name, int distance) {
        }
        List<Scored> scored = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String candidate : candidates) {
            if (!seen.add(candidate)) {
                continue;
            }
            String lower = candidate.toLowerCase(Locale.ROOT);
            int distance = distance(key, lower);
            if (distance <= allowed || (key.length() >= 3 && (lower.contains(key) || key.contains(lower)))) {
                scored.add(new Scored(candidate, distance));
            }
        }
        scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name));
        return scored.stream().limit(LIMIT).map(Scored::name).toList();
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
