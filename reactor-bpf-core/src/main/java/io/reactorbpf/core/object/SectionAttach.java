package io.reactorbpf.core.object;

import io.reactorbpf.core.BpfException;
import io.reactorbpf.core.attach.AttachException;
import io.reactorbpf.core.attach.AttachTargetNotFoundException;
import io.reactorbpf.core.attach.BpfLink;
import io.reactorbpf.core.attach.Kprobe;
import io.reactorbpf.core.attach.RawTracepoint;
import io.reactorbpf.core.attach.Tracepoint;
import io.reactorbpf.core.attach.Tracing;
import io.reactorbpf.core.attach.UnsupportedAttachException;
import io.reactorbpf.core.attach.Uprobe;
import io.reactorbpf.core.attach.UprobeTarget;

/**
 * Attaches a loaded program where its section name (or {@link ProgramSpec#attachTarget(String)}) says, through
 * the attach package, as libbpf's auto-attach does. Stateless and thread-safe.
 */
final class SectionAttach {

    private SectionAttach() {
    }

    /** Whether {@link #attach} has somewhere to attach {@code p}. */
    static boolean hasTarget(BpfProgram p) {
        return switch (p.section().attach()) {
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
        if (!hasTarget(p)) {
            throw new NoAutoAttachException(p.name(), p.section().name(), instead(p));
        }
        String target = p.attachTarget();
        try {
            return switch (p.section().attach()) {
                case TRACEPOINT -> tracepoint(p, target);
                case RAW_TRACEPOINT -> RawTracepoint.attach(p.fd(), target);
                case TRACING -> Tracing.attach(p.fd(), p.kernelBtfTarget().orElseThrow());
                case KPROBE, KRETPROBE -> kprobe(p, target);
                case UPROBE, URETPROBE -> Uprobe.attach(p.fd(), p.section().attach() == AttachKind.URETPROBE,
                        UprobeTarget.parse(target), -1);
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

    private static BpfLink tracepoint(BpfProgram p, String target) {
        int slash = target.indexOf('/');
        if (slash <= 0 || slash == target.length() - 1) {
            throw new AttachException("tracepoint target '" + target + "' is not GROUP/NAME (e.g. syscalls/sys_enter_execve)");
        }
        return Tracepoint.attach(p.fd(), target.substring(0, slash), target.substring(slash + 1));
    }

    /** FUNCTION or FUNCTION+OFFSET, the offset in decimal or 0x hex, as libbpf reads kprobe sections. */
    private static BpfLink kprobe(BpfProgram p, String target) {
        int plus = target.indexOf('+');
        String function = plus < 0 ? target : target.substring(0, plus);
        if (function.isEmpty()) {
            throw new AttachException("kprobe target '" + target + "' names no function (expected FUNCTION[+OFFSET])");
        }
        long offset = plus < 0 ? 0 : kprobeOffset(target, target.substring(plus + 1));
        return Kprobe.attach(p.fd(), p.section().attach() == AttachKind.KRETPROBE, function, offset);
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
        return switch (p.section().attach()) {
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
            case NONE -> switch (p.section().type()) {
                case SOCKET_FILTER -> "attach its fd() to a socket with setsockopt(SO_ATTACH_BPF), or run it with testRun";
                case XDP -> "attach its fd() to a network interface (BPF_LINK_CREATE with attach type XDP, or netlink), "
                        + "or run it with testRun";
                case SCHED_CLS, SCHED_ACT -> "attach its fd() with tc (a clsact qdisc filter) or BPF_LINK_CREATE "
                        + "(TCX_INGRESS, TCX_EGRESS), or run it with testRun";
                case PERF_EVENT -> "open the perf events it should run on and bind it with PerfEventAttach.attach "
                        + "or PerfEventAttach.attachEachCpu";
                default -> "attach its fd() by hand";
            };
        };
    }
}
