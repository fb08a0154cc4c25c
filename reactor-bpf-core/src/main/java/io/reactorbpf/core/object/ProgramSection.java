package io.reactorbpf.core.object;

import io.reactorbpf.core.sys.AttachType;
import io.reactorbpf.core.sys.ProgType;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a program's ELF section name says, following libbpf's conventions: the program type, the expected attach
 * type, how and where it attaches, whether it is sleepable, and whether it loads by default (a leading {@code ?}
 * turns autoload off). Immutable.
 *
 * @param name               the section name as written, e.g. "tracepoint/syscalls/sys_enter_execve"
 * @param expectedAttachType null when the program type takes none
 * @param target             what the section names after its prefix ("syscalls/sys_enter_execve", a function, a
 *                           "path:function+offset"), "" when nothing
 * @since 0.1
 */
public record ProgramSection(String name, ProgType type, AttachType expectedAttachType, AttachKind attach,
                             String target, boolean sleepable, boolean autoload) {

    /** BPF_F_SLEEPABLE. */
    static final int F_SLEEPABLE = 1 << 4;
    /** BPF_F_XDP_HAS_FRAGS. */
    static final int F_XDP_HAS_FRAGS = 1 << 5;

    /** One row of the section table; {@code withTarget}: "prefix" alone or "prefix/target" both match. */
    private record Def(String prefix, ProgType type, AttachType attachType, AttachKind attach, boolean withTarget,
                       boolean sleepable) {
    }

    private static final List<Def> DEFS = List.of(
            new Def("socket", ProgType.SOCKET_FILTER, null, AttachKind.NONE, false, false),
            new Def("kprobe", ProgType.KPROBE, null, AttachKind.KPROBE, true, false),
            new Def("kretprobe", ProgType.KPROBE, null, AttachKind.KRETPROBE, true, false),
            new Def("uprobe", ProgType.KPROBE, null, AttachKind.UPROBE, true, false),
            new Def("uretprobe", ProgType.KPROBE, null, AttachKind.URETPROBE, true, false),
            new Def("uprobe.s", ProgType.KPROBE, null, AttachKind.UPROBE, true, true),
            new Def("uretprobe.s", ProgType.KPROBE, null, AttachKind.URETPROBE, true, true),
            new Def("usdt", ProgType.KPROBE, null, AttachKind.USDT, true, false),
            new Def("usdt.s", ProgType.KPROBE, null, AttachKind.USDT, true, true),
            new Def("tracepoint", ProgType.TRACEPOINT, null, AttachKind.TRACEPOINT, true, false),
            new Def("tp", ProgType.TRACEPOINT, null, AttachKind.TRACEPOINT, true, false),
            new Def("raw_tracepoint", ProgType.RAW_TRACEPOINT, null, AttachKind.RAW_TRACEPOINT, true, false),
            new Def("raw_tp", ProgType.RAW_TRACEPOINT, null, AttachKind.RAW_TRACEPOINT, true, false),
            new Def("tp_btf", ProgType.TRACING, AttachType.TRACE_RAW_TP, AttachKind.TRACING, true, false),
            new Def("fentry", ProgType.TRACING, AttachType.TRACE_FENTRY, AttachKind.TRACING, true, false),
            new Def("fexit", ProgType.TRACING, AttachType.TRACE_FEXIT, AttachKind.TRACING, true, false),
            new Def("fmod_ret", ProgType.TRACING, AttachType.MODIFY_RETURN, AttachKind.TRACING, true, false),
            new Def("fentry.s", ProgType.TRACING, AttachType.TRACE_FENTRY, AttachKind.TRACING, true, true),
            new Def("fexit.s", ProgType.TRACING, AttachType.TRACE_FEXIT, AttachKind.TRACING, true, true),
            new Def("fmod_ret.s", ProgType.TRACING, AttachType.MODIFY_RETURN, AttachKind.TRACING, true, true),
            new Def("perf_event", ProgType.PERF_EVENT, null, AttachKind.NONE, false, false),
            new Def("xdp", ProgType.XDP, AttachType.XDP, AttachKind.NONE, false, false),
            new Def("xdp.frags", ProgType.XDP, AttachType.XDP, AttachKind.NONE, false, false),
            new Def("tc", ProgType.SCHED_CLS, null, AttachKind.NONE, false, false),
            new Def("classifier", ProgType.SCHED_CLS, null, AttachKind.NONE, false, false),
            new Def("action", ProgType.SCHED_ACT, null, AttachKind.NONE, false, false));

    /**
     * Reads a section name. Throws {@link UnknownSectionException} naming {@code program} and listing the supported
     * prefixes when the name fits none.
     *
     * @param section the ELF section's name, such as {@code tracepoint/syscalls/sys_enter_execve}; a leading '?'
     *        turns autoload off
     * @param program the program's name, for the error message
     * @return what the name says: program type, expected attach type, attach kind and target
     * @throws UnknownSectionException when no known prefix fits
     */
    public static ProgramSection parse(String section, String program) {
        boolean autoload = !section.startsWith("?");
        String s = autoload ? section : section.substring(1);
        for (Def d : DEFS) {
            String target;
            if (s.equals(d.prefix)) {
                target = "";
            } else if (d.withTarget && s.startsWith(d.prefix + "/")) {
                target = s.substring(d.prefix.length() + 1);
            } else {
                continue;
            }
            return new ProgramSection(section, d.type, d.attachType, d.attach, target, d.sleepable, autoload);
        }
        throw new UnknownSectionException(section, program, supported());
    }

    /** The program flags the section implies (BPF_F_SLEEPABLE, BPF_F_XDP_HAS_FRAGS). */
    int progFlags() {
        int flags = sleepable ? F_SLEEPABLE : 0;
        return name.endsWith("xdp.frags") ? flags | F_XDP_HAS_FRAGS : flags;
    }

    private static String supported() {
        return DEFS.stream().map(d -> d.withTarget ? d.prefix + "/..." : d.prefix).collect(Collectors.joining(", "));
    }
}
