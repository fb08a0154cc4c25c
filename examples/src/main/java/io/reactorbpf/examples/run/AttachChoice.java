package io.reactorbpf.examples.run;

import io.reactorbpf.core.object.AttachKind;
import io.reactorbpf.core.object.ObjectSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code --attach PROG=KIND:TARGET}: program PROG is attached as KIND to TARGET instead of where its section
 * says, e.g. {@code handle_entry=uprobe:libc.so.6:getaddrinfo}, {@code printret=uretprobe:/bin/bash:readline},
 * {@code on_exec=tracepoint:sched/sched_process_exec}, {@code do_sample=perf_event:cpu-clock@99}. Immutable.
 */
record AttachChoice(String program, AttachKind kind, String target) {

    /** The KIND words, as section names spell them. */
    private static final Map<String, AttachKind> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("tracepoint", AttachKind.TRACEPOINT);
        KINDS.put("tp", AttachKind.TRACEPOINT);
        KINDS.put("raw_tp", AttachKind.RAW_TRACEPOINT);
        KINDS.put("raw_tracepoint", AttachKind.RAW_TRACEPOINT);
        KINDS.put("kprobe", AttachKind.KPROBE);
        KINDS.put("kretprobe", AttachKind.KRETPROBE);
        KINDS.put("uprobe", AttachKind.UPROBE);
        KINDS.put("uretprobe", AttachKind.URETPROBE);
        KINDS.put("usdt", AttachKind.USDT);
        KINDS.put("perf_event", AttachKind.PERF_EVENT);
    }

    /** Reads {@code PROG=KIND:TARGET}; picocli reports the exception's message as a usage error. */
    static AttachChoice parse(String text) {
        int eq = text.indexOf('=');
        int colon = text.indexOf(':', eq + 1);
        if (eq <= 0 || colon < 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected PROG=KIND:TARGET (e.g. handle_entry=uprobe:libc.so.6:getaddrinfo),"
                    + " got '" + text + "'");
        }
        String kind = text.substring(eq + 1, colon);
        AttachKind k = KINDS.get(kind);
        if (k == null) {
            throw new IllegalArgumentException("'" + kind + "' is not an attach kind; use one of "
                    + String.join(", ", KINDS.keySet()));
        }
        return new AttachChoice(text.substring(0, eq), k, text.substring(colon + 1));
    }

    /**
     * Points the program at the target in {@code spec}. Throws an
     * {@link io.reactorbpf.core.object.ObjectFormatException} listing the programs when there is none by that name,
     * an {@link io.reactorbpf.core.object.InvalidSpecException} when the program's type or the target does not fit
     * the kind (see {@link io.reactorbpf.core.object.ProgramSpec#attach}).
     */
    void applyTo(ObjectSpec spec) {
        spec.program(program).attach(kind, target);
    }
}
