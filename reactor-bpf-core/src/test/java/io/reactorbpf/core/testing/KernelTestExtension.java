package io.reactorbpf.core.testing;

import io.reactorbpf.core.sys.Capability;
import io.reactorbpf.core.sys.Privileges;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Set;

/** Checks a {@link KernelTest}'s privileges before it runs; see {@link KernelTests#require}. */
final class KernelTestExtension implements BeforeEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) {
        Set<Capability> missing;
        try {
            missing = Privileges.current().missingForBpf();
        } catch (RuntimeException e) {
            KernelTests.require(false, "cannot read this process's capabilities: " + e);
            return;
        }
        KernelTests.require(missing.isEmpty(), "kernel test needs capabilities " + missing
                + " (run as root, or grant CAP_BPF and CAP_PERFMON)");
    }
}
