package io.reactorbpf.spring.boot;

import io.reactorbpf.core.attach.AttachException;
import io.reactorbpf.core.object.InvalidSpecException;
import io.reactorbpf.core.object.MapMemoryLimitException;
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
        if (cause instanceof MapMemoryLimitException) {
            return "Shrink the map in the object, or raise the limit with the system property"
                    + " reactorbpf.mapMemoryLimit if the kernel should give it that much memory.";
        }
        if (cause instanceof AttachException) {
            return "Set " + property + "=false and attach the programs yourself where this kernel can, or run on a"
                    + " kernel that has the attach point.";
        }
        if (cause instanceof UnresolvedExternException || cause instanceof SyscallException) {
            return "The object at " + property + " does not fit this kernel (see the description): build it for this"
                    + " kernel, or check the kernel's configuration.";
        }
        if (cause instanceof IllegalStateException && property.contains(".streams.")) {
            String bean = property.substring("reactorbpf.objects.".length()).replace(".streams.", ".");
            return "Subscribe to the stream's bean (BpfEventStream " + bean + ", events()) instead of reading its"
                    + " map with a stream of your own.";
        }
        if (property.endsWith(".location") && !(cause instanceof InvalidSpecException)) {
            return "Point " + property + " at a BPF object file (an ELF object from clang -target bpf):"
                    + " classpath:PATH for a resource of the application, or a file path.";
        }
        return "Change " + property + " as the description says.";
    }

    private static String tail(String log) {
        List<String> lines = Arrays.asList(log.strip().split("\n"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
    }
}
