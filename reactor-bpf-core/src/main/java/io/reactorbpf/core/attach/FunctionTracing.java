package io.reactorbpf.core.attach;

import io.reactorbpf.core.asm.Assembler;
import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.BtfFormatException;
import io.reactorbpf.core.btf.BtfKind;
import io.reactorbpf.core.sys.AttachType;
import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.sys.Errno;
import io.reactorbpf.core.sys.Privileges;
import io.reactorbpf.core.internal.sys.ProgLoadAttr;
import io.reactorbpf.core.sys.ProgType;
import io.reactorbpf.core.sys.SyscallException;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static io.reactorbpf.core.asm.Register.R0;

/**
 * Whether the running kernel loads programs that run on a BPF trampoline: fentry, fexit and fmod_ret
 * ({@code BPF_PROG_TYPE_TRACING} with TRACE_FENTRY, TRACE_FEXIT or MODIFY_RETURN) and LSM programs. Some
 * kernels refuse every such load with EPERM and an empty verifier log, even an empty program loaded with every
 * capability, while tp_btf programs of the same type load (seen under kernel lockdown). Probed once per process
 * by loading an empty fentry program, then cached; thread-safe.
 *
 * @since 0.1
 */
public final class FunctionTracing {

    /** Kernel functions an empty fentry program is tried on, in order: the first the kernel BTF has is used. */
    static final List<String> PROBE_FUNCTIONS = List.of("bpf_fentry_test1", "vfs_read", "do_unlinkat");

    /** The probe's answer: null until probed; empty when the kernel loads trampoline programs or could not be judged. */
    private static volatile Optional<String> refusal;

    private FunctionTracing() {
    }

    /**
     * False when this kernel refuses fentry/fexit/fmod_ret programs although the process holds the capabilities
     * BPF needs; true when it loads them, and when the probe could not judge (no capabilities, none of
     * {@link #PROBE_FUNCTIONS} in the kernel BTF). The first call probes; later calls return the cached answer.
     *
     * @return whether fentry, fexit and fmod_ret programs can load here
     */
    public static boolean supported() {
        return refusal().isEmpty();
    }

    /**
     * Why this kernel refuses fentry/fexit/fmod_ret programs, with what to use instead; empty when
     * {@link #supported()}. The first call probes, on the calling thread; later calls return the cached answer.
     *
     * @return the refusal, or empty
     */
    public static Optional<String> refusal() {
        Optional<String> r = refusal;
        if (r == null) {
            r = probe();
            refusal = r;
        }
        return r;
    }

    /**
     * Throws an {@link UnsupportedAttachException} saying why, unless {@link #supported()}.
     *
     * @throws UnsupportedAttachException with {@link #refusal()} as its message when the kernel refuses them
     */
    public static void requireSupported() {
        Optional<String> r = refusal();
        if (r.isPresent()) {
            throw new UnsupportedAttachException(r.get());
        }
    }

    /**
     * Whether a program of {@code type} loaded with {@code expectedAttachType} (null for none) runs on a
     * trampoline.
     *
     * @param type the program's type
     * @param expectedAttachType the expected attach type it is loaded with, or null
     * @return true for LSM programs and for TRACING ones with TRACE_FENTRY, TRACE_FEXIT or MODIFY_RETURN
     */
    public static boolean usesTrampoline(ProgType type, AttachType expectedAttachType) {
        if (type == ProgType.LSM) {
            return true;
        }
        return type == ProgType.TRACING && (expectedAttachType == AttachType.TRACE_FENTRY
                || expectedAttachType == AttachType.TRACE_FEXIT || expectedAttachType == AttachType.MODIFY_RETURN);
    }

    private static Optional<String> probe() {
        Btf vmlinux;
        try {
            vmlinux = Btf.vmlinux();
        } catch (BtfFormatException e) {
            return Optional.of("this kernel cannot load fentry/fexit/fmod_ret programs: they are loaded against the "
                    + "kernel's BTF, which it does not publish (" + e.getMessage() + "); use tracepoint or raw_tp programs instead");
        }
        for (String function : PROBE_FUNCTIONS) {
            OptionalInt id = vmlinux.findByName(function, BtfKind.FUNC);
            if (id.isPresent()) {
                return probe(function, id.getAsInt());
            }
        }
        return Optional.empty();
    }

    /** Loads {@code r0 = 0; exit} as fentry on {@code function}; a refusal counts only when capabilities are not the reason. */
    private static Optional<String> probe(String function, int btfId) {
        byte[] insns = new Assembler().mov64(R0, 0).exit().build();
        ProgLoadAttr attr = ProgLoadAttr.of(ProgType.TRACING, insns).name("fentry_probe").license("GPL")
                .expectedAttachType(AttachType.TRACE_FENTRY.value()).attachBtf(btfId, 0);
        try {
            Bpf.progLoad(attr).close();
            return Optional.empty();
        } catch (SyscallException e) {
            if (!Privileges.current().missingForBpf().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(message(e.errno(), function));
        }
    }

    /** The refusal as the kernel answered the probe on {@code function} with {@code errno}. */
    static String message(Errno errno, String function) {
        return "this kernel refuses fentry/fexit/fmod_ret programs: BPF_PROG_LOAD fails with " + errno.name()
                + " even for an empty fentry program on " + function
                + (errno == Errno.EPERM ? " (seen under kernel lockdown)" : "")
                + "; use tp_btf or raw_tp programs instead";
    }
}
