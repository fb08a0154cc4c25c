package io.reactorbpf.core.object;

import io.reactorbpf.core.BpfException;
import io.reactorbpf.core.attach.AttachException;
import io.reactorbpf.core.attach.AttachTargetNotFoundException;
import io.reactorbpf.core.attach.BpfLink;
import io.reactorbpf.core.attach.Kprobe;
import io.reactorbpf.core.attach.PerfEventAttach;
import io.reactorbpf.core.attach.RawTracepoint;
import io.reactorbpf.core.attach.Tracepoint;
import io.reactorbpf.core.attach.Tracing;
import io.reactorbpf.core.attach.UnsupportedAttachException;
import io.reactorbpf.core.attach.Uprobe;
import io.reactorbpf.core.attach.UprobeTarget;
import io.reactorbpf.core.attach.UsdtTarget;
import io.reactorbpf.core.sys.ProgType;

/**
 * Attaches a loaded program where its section name (or {@link ProgramSpec#attachTarget(String)}) says, through
 * the attach package, as libbpf's auto-attach does. Stateless and thread-safe.
 */
final class SectionAttach {

    private SectionAttach() {
    }

    /** Whether {@link #attach} has somewhere to attach {@code p}. */
    static boolean hasTarget(BpfProgram p) {
        return switch (p.attachKind()) {
            case NONE -> false;
            case TRACING -> p.kernelBtfTarget().isPresent();
            default -> !p.attachTarget().isEmpty();
        };
    }

    /**
     * Attaches {@code p}; the link belongs to the caller. Throws a {@link NoAutoAttachException} saying what to
     * call instead when {@code p} has no target, otherwise an {@link AttachException} (of the attach package's
     * type) naming the program and section.
     */
    static BpfLink attach(BpfProgram p) {
        return attach(p, -1);
    }

    /**
     * As {@link #attach(BpfProgram)}, with uprobes, uretprobes and USDT probes firing only in process {@code pid}
     * (-1: every process); the other kinds are not per process and attach as they would.
     */
    static BpfLink attach(BpfProgram p, int pid) {
        if (!hasTarget(p)) {
            throw new NoAutoAttachException(p.name(), p.section().name(), instead(p));
        }
        String target = p.attachTarget();
        try {
            return switch (p.attachKind()) {
                case TRACEPOINT -> tracepoint(p, target);
                case RAW_TRACEPOINT -> RawTracepoint.attach(p.fd(), target);
                case TRACING -> Tracing.attach(p.fd(), p.kernelBtfTarget().orElseThrow());
                case KPROBE, KRETPROBE -> kprobe(p, target);
                case UPROBE, URETPROBE -> Uprobe.attach(p.fd(), p.attachKind() == AttachKind.URETPROBE,
                        UprobeTarget.parse(target), pid);
                case USDT -> p.usdt(UsdtTarget.parse(target), pid, 0);
                case PERF_EVENT -> PerfEventAttach.attachEachCpu(p.fd(), PerfEventTarget.parse(target).attr());
                case NONE -> throw new NoAutoAttachException(p.name(), p.section().name(), instead(p));
            };
        } catch (NoAutoAttachException e) {
            throw e;
        } catch (BpfException e) {
            throw naming(p.name(), p.section().name(), e);
        }
    }

    /** {@code failure} with the program and section in front of its message, of the same attach exception type. */
    static AttachException naming(String program, String section, BpfException failure) {
        String message = "program '" + program + "' in section '" + section + "': " + failure.getMessage();
        if (failure instanceof UnsupportedAttachException) {
            return new UnsupportedAttachException(message, failure);
        }
        if (failure instanceof AttachTargetNotFoundException) {
            return new AttachTargetNotFoundException(message, failure);
        }
        return new AttachException(message, failure);
    }

    /**
     * Whether a program of {@code type} can be attached as {@code kind}: tracepoints take TRACEPOINT programs, raw
     * tracepoints RAW_TRACEPOINT ones, kprobes and uprobes KPROBE ones, tp_btf/fentry/fexit TRACING ones.
     */
    static boolean fits(AttachKind kind, ProgType type) {
        return switch (kind) {
            case TRACEPOINT -> type == ProgType.TRACEPOINT;
            case RAW_TRACEPOINT -> type == ProgType.RAW_TRACEPOINT || type == ProgType.RAW_TRACEPOINT_WRITABLE;
            case TRACING -> type == ProgType.TRACING;
            case KPROBE, KRETPROBE, UPROBE, URETPROBE, USDT -> type == ProgType.KPROBE;
            case PERF_EVENT -> type == ProgType.PERF_EVENT;
            case NONE -> false;
        };
    }

    /** The program types {@link #fits} accepts for {@code kind}, as a message says them. */
    static String programTypes(AttachKind kind) {
        return switch (kind) {
            case TRACEPOINT -> "TRACEPOINT";
            case RAW_TRACEPOINT -> "RAW_TRACEPOINT or RAW_TRACEPOINT_WRITABLE";
            case TRACING -> "TRACING";
            case KPROBE, KRETPROBE, UPROBE, URETPROBE, USDT -> "KPROBE";
            case PERF_EVENT -> "PERF_EVENT";
            case NONE -> "no";
        };
    }

    /**
     * Reads {@code target} as {@link #attach} would for {@code kind}, attaching nothing: GROUP/NAME for a
     * tracepoint, FUNCTION[+OFFSET] for a kprobe, PATH:FUNCTION[+OFFSET] for a uprobe (a PATH without '/' looked
     * up as {@link UprobeTarget#resolve} does), EVENT@HZ or EVENT/PERIOD for a perf event, a non-empty name
     * otherwise. Throws the {@link AttachException}
     * attaching would.
     */
    static void checkTarget(AttachKind kind, String target) {
        switch (kind) {
            case TRACEPOINT -> tracepointSlash(target);
            case KPROBE, KRETPROBE -> offsetAfter(target, kprobeFunction(target));
            case UPROBE, URETPROBE -> UprobeTarget.parse(target);
            case USDT -> UsdtTarget.parse(target);
            case PERF_EVENT -> PerfEventTarget.parse(target);
            case RAW_TRACEPOINT, TRACING, NONE -> {
                if (target.isEmpty()) {
                    throw new AttachException("a " + kind + " target names the tracepoint or function; it is empty");
                }
            }
        }
    }

    private static BpfLink tracepoint(BpfProgram p, String target) {
        int slash = tracepointSlash(target);
        return Tracepoint.attach(p.fd(), target.substring(0, slash), target.substring(slash + 1));
    }

    private static int tracepointSlash(String target) {
        int slash = target.indexOf('/');
        if (slash <= 0 || slash == target.length() - 1) {
            throw new AttachException("tracepoint target '" + target + "' is not GROUP/NAME (e.g. syscalls/sys_enter_execve)");
        }
        return slash;
    }

    /** FUNCTION or FUNCTION+OFFSET, the offset in decimal or 0x hex, as libbpf reads kprobe sections. */
    private static BpfLink kprobe(BpfProgram p, String target) {
        String function = kprobeFunction(target);
        return Kprobe.attach(p.fd(), p.attachKind() == AttachKind.KRETPROBE, function, offsetAfter(target, function));
    }

    private static String kprobeFunction(String target) {
        int plus = target.indexOf('+');
        String function = plus < 0 ? target : target.substring(0, plus);
        if (function.isEmpty()) {
            throw new AttachException("kprobe target '" + target + "' names no function (expected FUNCTION[+OFFSET])");
        }
        return function;
    }

    /** The offset after {@code function} and its '+' in a kprobe target, 0 when there is none. */
    private static long offsetAfter(String target, String function) {
        return function.length() == target.length() ? 0 : kprobeOffset(target, target.substring(function.length() + 1));
    }

    private static long kprobeOffset(String target, String text) {
        try {
            long offset = text.startsWith("0x") || text.startsWith("0X") ? Long.parseLong(text.substring(2), 16)
                    : Long.parseLong(text);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // reported below with the text that is not a number
        }
        throw new AttachException("kprobe target '" + target + "': '" + text + "' is not a decimal or 0x-hex offset");
    }

    /** What to do with a program that has no auto-attach target. */
    static String instead(BpfProgram p) {
        return switch (p.attachKind()) {
            case TRACEPOINT -> "write SEC(\"tracepoint/GROUP/NAME\") or set ProgramSpec.attachTarget(\"GROUP/NAME\") "
                    + "before load, or attach it with Tracepoint.attach";
            case RAW_TRACEPOINT -> "write SEC(\"raw_tp/NAME\") or set ProgramSpec.attachTarget(\"NAME\") before load, "
                    + "or attach it with RawTracepoint.attach";
            case TRACING -> "it was loaded as " + p.type() + " rather than TRACING against a kernel BTF target; "
                    + "attach it with Tracing.attach(fd, attachType)";
            case KPROBE, KRETPROBE -> "write SEC(\"kprobe/FUNCTION\") or set ProgramSpec.attachTarget(\"FUNCTION[+OFFSET]\") "
                    + "before load, or attach it with Kprobe.attach";
            case UPROBE, URETPROBE -> "set ProgramSpec.attachTarget(\"PATH:FUNCTION[+OFFSET]\") before load, "
                    + "or attach it with Uprobe.attach(fd, retprobe, UprobeTarget, pid)";
            case USDT -> "write SEC(\"usdt/PATH:PROVIDER:NAME\") or set ProgramSpec.attachTarget(\"PATH:PROVIDER:NAME\")"
                    + " before load, or attach it with BpfProgram.attachUsdt(UsdtTarget, pid, cookie)";
            case PERF_EVENT -> "set ProgramSpec.attach(AttachKind.PERF_EVENT, \"EVENT@HZ\") before load, or attach it"
                    + " with PerfEventAttach.attachEachCpu";
            case NONE -> switch (p.section().type()) {
                case SOCKET_FILTER -> "attach its fd() to a socket with setsockopt(SO_ATTACH_BPF), or run it with testRun";
                case XDP -> "attach its fd() to a network interface (BPF_LINK_CREATE with attach type XDP, or netlink), "
                        + "or run it with testRun";
                case SCHED_CLS, SCHED_ACT -> "attach its fd() with tc (a clsact qdisc filter) or BPF_LINK_CREATE "
                        + "(TCX_INGRESS, TCX_EGRESS), or run it with testRun";
                case PERF_EVENT -> "set ProgramSpec.attach(AttachKind.PERF_EVENT, \"EVENT@HZ\") before load (e.g."
                        + " cpu-clock@99), or bind it with PerfEventAttach.attach or PerfEventAttach.attachEachCpu";
                default -> "attach its fd() by hand";
            };
        };
    }
}
