package io.reactorbpf.core.attach;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfKind;
import io.reactorbpf.core.sys.AttachType;

import java.util.OptionalInt;

/**
 * The kernel BTF type a tracing program is loaded against ({@code ProgLoadAttr.attachBtf(btfId, 0)} with
 * {@code expectedAttachType(attachType)}): for tp_btf the typedef {@code btf_trace_NAME} of the raw
 * tracepoint, for fentry, fexit and fmod_ret the FUNC {@code NAME}. Immutable.
 *
 * @param attachType TRACE_RAW_TP, TRACE_FENTRY, TRACE_FEXIT or MODIFY_RETURN
 * @param name       the raw tracepoint or kernel function, as written after the section prefix
 * @param btfId      the type id in the kernel's BTF
 * @since 0.1
 */
public record KernelBtfTarget(AttachType attachType, String name, int btfId) {

    private static final String RAW_TP_PREFIX = "btf_trace_";

    /**
     * Refuses attach types other than the four tracing ones with an {@link AttachException}.
     *
     * @param attachType TRACE_RAW_TP, TRACE_FENTRY, TRACE_FEXIT or MODIFY_RETURN
     * @param name the raw tracepoint or kernel function
     * @param btfId the type id in the kernel's BTF
     * @throws AttachException when {@code attachType} is not a tracing attach type
     */
    public KernelBtfTarget {
        kind(attachType);
    }

    /**
     * Resolves {@code name} in the running kernel's BTF (/sys/kernel/btf/vmlinux), which is parsed once per
     * process.
     *
     * @param type TRACE_RAW_TP for tp_btf, or TRACE_FENTRY, TRACE_FEXIT or MODIFY_RETURN
     * @param name the raw tracepoint (such as {@code sched_switch}) or kernel function
     * @return the target, for BPF_PROG_LOAD's attach_btf_id
     * @throws io.reactorbpf.core.btf.BtfFormatException when the kernel publishes no readable BTF
     * @throws AttachTargetNotFoundException when the kernel BTF has no such tracepoint or function
     * @throws AttachException when {@code type} is not a tracing attach type
     */
    public static KernelBtfTarget resolve(AttachType type, String name) {
        return resolve(Btf.vmlinux(), type, name);
    }

    /**
     * Resolves {@code name} in {@code kernelBtf}. Throws an {@link AttachTargetNotFoundException} naming the
     * BTF type that is missing, an {@link AttachException} when {@code type} is not a tracing attach type.
     *
     * @param kernelBtf the kernel BTF to look in, vmlinux's or a test's
     * @param type TRACE_RAW_TP for tp_btf, or TRACE_FENTRY, TRACE_FEXIT or MODIFY_RETURN
     * @param name the raw tracepoint (such as {@code sched_switch}) or kernel function
     * @return the target
     * @throws AttachTargetNotFoundException when the BTF has no such tracepoint or function
     * @throws AttachException when {@code type} is not a tracing attach type
     */
    public static KernelBtfTarget resolve(Btf kernelBtf, AttachType type, String name) {
        String kind = kind(type);
        if (type == AttachType.TRACE_RAW_TP) {
            OptionalInt id = kernelBtf.findByName(RAW_TP_PREFIX + name, BtfKind.TYPEDEF);
            if (id.isEmpty()) {
                throw new AttachTargetNotFoundException(kind + " target '" + name + "': the kernel BTF has no typedef "
                        + RAW_TP_PREFIX + name + ", so the kernel has no raw tracepoint of that name (list them with: "
                        + "bpftool btf dump file /sys/kernel/btf/vmlinux | grep " + RAW_TP_PREFIX + ")");
            }
            return new KernelBtfTarget(type, name, id.getAsInt());
        }
        OptionalInt id = kernelBtf.findByName(name, BtfKind.FUNC);
        if (id.isEmpty()) {
            throw new AttachTargetNotFoundException(kind + " target '" + name + "': the kernel BTF has no FUNC " + name
                    + " (the function may not exist, be inlined, or live in a module; check /proc/kallsyms and "
                    + "bpftool btf dump file /sys/kernel/btf/vmlinux | grep \"FUNC '" + name + "'\")");
        }
        return new KernelBtfTarget(type, name, id.getAsInt());
    }

    /**
     * The target as a section name would say it, e.g. "fentry __x64_sys_getpgid".
     *
     * @return the section prefix and the name
     */
    public String describe() {
        return kind(attachType) + " " + name;
    }

    /** The section prefix of a tracing attach type; an {@link AttachException} for any other type. */
    static String kind(AttachType type) {
        return switch (type) {
            case TRACE_RAW_TP -> "tp_btf";
            case TRACE_FENTRY -> "fentry";
            case TRACE_FEXIT -> "fexit";
            case MODIFY_RETURN -> "fmod_ret";
            default -> throw new AttachException("attach type " + type + " is not a tracing attach type; use "
                    + "TRACE_RAW_TP (tp_btf), TRACE_FENTRY, TRACE_FEXIT or MODIFY_RETURN (fmod_ret)");
        };
    }
}
