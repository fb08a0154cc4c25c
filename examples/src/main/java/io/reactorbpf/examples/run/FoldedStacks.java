package io.reactorbpf.examples.run;

import io.reactorbpf.core.map.StackTraceMap;
import io.reactorbpf.core.symbol.Kallsyms;
import io.reactorbpf.core.symbol.ProcessSymbols;
import io.reactorbpf.core.symbol.StackFrame;
import io.reactorbpf.perf.maps.MapLayout;
import io.reactorbpf.perf.maps.MapSnapshot;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A map of counts keyed by stack ids, as profile, offcputime and wakeuptime keep them, printed as folded stacks
 * (flame-graph input, the real tools' {@code -f}): one line per key, {@code COMM;USER;...;KERNEL_[k];... COUNT},
 * frames outermost first, kernel frames marked {@code _[k]}. Which key fields hold what comes from their BTF
 * names: a stack id field names {@code stack} and {@code kern} or {@code user}, the process is {@code tgid} or
 * {@code pid}, the command {@code name} or {@code comm} (in the key, or else in the value, as offcputime keeps it
 * beside its count). Kernel addresses resolve through /proc/kallsyms, user ones
 * through the process's mappings, read once per process; a process gone by then gives {@code [unknown]} frames.
 * One thread.
 */
final class FoldedStacks {

    private final MapLayout layout;
    private final StackTraceMap stacks;
    private final String kernelField;
    private final String userField;
    private final String pidField;
    private final String commField;
    /** Whether {@link #commField} is the value's rather than the key's. */
    private final boolean commInValue;
    private Kallsyms kallsyms;
    private final Map<Long, Optional<ProcessSymbols>> processes = new HashMap<>();

    private FoldedStacks(MapLayout layout, StackTraceMap stacks, JsonNode key, JsonNode value) {
        this.layout = layout;
        this.stacks = stacks;
        this.kernelField = field(key, n -> n.contains("stack") && n.contains("kern"));
        this.userField = field(key, n -> n.contains("stack") && n.contains("user"));
        this.pidField = key.has("tgid") ? "tgid" : key.has("pid") ? "pid" : null;
        String inKey = commOf(key);
        this.commInValue = inKey == null && commOf(value) != null;
        this.commField = commInValue ? commOf(value) : inKey;
    }

    private static String commOf(JsonNode node) {
        return node.has("name") ? "name" : node.has("comm") ? "comm" : null;
    }

    /**
     * Folded output for a map of {@code keySize}-byte keys laid out as {@code layout} whose ids point into
     * {@code stacks}; empty when the map's keys have no stack id field by name or its values hold no count.
     */
    static Optional<FoldedStacks> of(MapLayout layout, int keySize, StackTraceMap stacks) {
        if (!layout.typed() || count(layout.value(new byte[layout.valueSize()])).isEmpty()) {
            return Optional.empty();
        }
        FoldedStacks f = new FoldedStacks(layout, stacks, layout.key(new byte[keySize]),
                layout.value(new byte[layout.valueSize()]));
        return f.kernelField == null && f.userField == null ? Optional.empty() : Optional.of(f);
    }

    /** The folded lines of {@code snapshot}, largest count first. */
    List<String> lines(MapSnapshot snapshot) {
        record Line(String stack, long count) {
        }
        List<Line> out = new ArrayList<>();
        for (MapSnapshot.Entry e : snapshot.entries()) {
            JsonNode key = layout.key(e.key());
            JsonNode value = layout.value(e.value());
            List<String> frames = new ArrayList<>();
            if (commField != null) {
                frames.add((commInValue ? value : key).get(commField).asString());
            }
            if (userField != null) {
                Optional<ProcessSymbols> process = pidField == null ? Optional.empty()
                        : process(key.get(pidField).asLong());
                frames.addAll(outermostFirst(stacks.addresses(key.get(userField).asInt()),
                        a -> process.map(p -> p.resolve(a).name()).orElse("[unknown]")));
            }
            if (kernelField != null) {
                frames.addAll(outermostFirst(stacks.addresses(key.get(kernelField).asInt()),
                        a -> kallsyms().resolve(a).name() + "_[k]"));
            }
            out.add(new Line(String.join(";", frames), count(value).orElseThrow()));
        }
        out.sort((a, b) -> Long.compare(b.count(), a.count()));
        return out.stream().map(l -> l.stack() + " " + l.count()).toList();
    }

    private static List<String> outermostFirst(long[] addresses, Function<Long, String> name) {
        List<String> frames = new ArrayList<>();
        for (int i = addresses.length - 1; i >= 0; i--) {
            frames.add(name.apply(addresses[i]));
        }
        return frames;
    }

    private Kallsyms kallsyms() {
        if (kallsyms == null) {
            kallsyms = Kallsyms.read();
        }
        return kallsyms;
    }

    private Optional<ProcessSymbols> process(long pid) {
        return processes.computeIfAbsent(pid, p -> {
            try {
                return Optional.of(ProcessSymbols.of(p));
            } catch (IllegalArgumentException gone) {
                return Optional.empty();
            }
        });
    }

    /** The count a value holds: the value itself, or its first integer member; empty when it holds none. */
    private static Optional<Long> count(JsonNode value) {
        if (value.isIntegralNumber()) {
            return Optional.of(value.asLong());
        }
        for (JsonNode member : value) {
            if (member.isIntegralNumber()) {
                return Optional.of(member.asLong());
            }
        }
        return Optional.empty();
    }

    private static String field(JsonNode key, java.util.function.Predicate<String> wanted) {
        for (String name : key.propertyNames()) {
            if (wanted.test(name.toLowerCase(java.util.Locale.ROOT))) {
                return name;
            }
        }
        return null;
    }
}
