package io.reactorbpf.spring.boot;

import io.reactorbpf.core.attach.AttachException;
import io.reactorbpf.core.object.InvalidSpecException;
import io.reactorbpf.core.object.MapMemoryLimitException;
import io.reactorbpf.core.object.ObjectFormatException;
import io.reactorbpf.core.object.ProgramLoadException;
import io.reactorbpf.core.object.UnresolvedExternException;
import io.reactorbpf.core.object.VariableException;
import io.reactorbpf.core.sys.MissingPrivilegeException;
import io.reactorbpf.core.sys.SyscallException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import java.util.Arrays;
import java.util.List;

/**
 * Turns a {@link BpfPropertyException} into Spring Boot's start-up failure report: the description is its one line
 * (the property, then what is wrong with it), the action says what to change for the library exception behind it,
 * and for a verifier rejection ends with the last lines of the verifier's log. Registered in
 * {@code META-INF/spring.factories}; stateless.
 */
public final class BpfFailureAnalyzer extends AbstractFailureAnalyzer<BpfPropertyException> {

    /** Lines of a verifier log the action shows: enough to see the refused instruction and what led to it. */
    private static final int LOG_LINES = 20;

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BpfPropertyException cause) {
        return new FailureAnalysis(cause.getMessage(), action(cause), cause);
    }

    private static String action(BpfPropertyException e) {
        String property = e.property();
        Throwable cause = e.getCause();
        if (cause instanceof VariableException) {
            return "Change " + property + " to a value of the variable's type, or remove it if the object has no such"
                    + " variable (the description lists those it has).";
        }
        if (cause instanceof ProgramLoadException p) {
            return "The kernel's verifier refused program '" + p.program() + "' of the object at " + property
                    + ": fix the program, or the globals it depends on. The end of the verifier's log:\n\n"
                    + tail(p.log());
        }
        if (cause instanceof MissingPrivilegeException) {
            return "Run the application as root, or grant it the capabilities CAP_BPF and CAP_PERFMON (CAP_SYS_ADMIN"
                    + " on kernels before 5.8).";
        }
        if (cause instanceof MapMemoryLimitException || cause instanceof InvalidSpecException) {
            return "Change " + property + " so that the map fits (see the description).";
        }
        if (cause instanceof AttachException) {
            return "Attach point of the object at " + property + " is not on this kernel: set " + property
                    + "=false and attach its programs yourself, or use a kernel that has it.";
        }
        if (cause instanceof UnresolvedExternException || cause instanceof SyscallException) {
            return "The object at " + property + " does not fit this kernel (see the description); build it for this"
                    + " kernel or check the kernel's configuration.";
        }
        if (cause instanceof ObjectFormatException) {
            return "Point " + property + " at what the object has (the description lists it), or fix the object.";
        }
        if (cause instanceof IllegalArgumentException) {
            return "Change " + property + " (see the description).";
        }
        return "Change " + property + ": it must name a readable BPF object file, classpath:PATH for a resource of"
                + " the application or a file path.";
    }

    private static String tail(String log) {
        List<String> lines = Arrays.asList(log.strip().split("\n"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
    }
}
