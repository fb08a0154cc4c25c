package io.reactorbpf.core.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The rule for kernel tests that cannot run: skip when kernel tests are optional, fail when the environment
 * says {@code REACTOR_BPF_KERNEL_TESTS=required}.
 */
public final class KernelTests {

    /** The environment variable that makes kernel tests mandatory. */
    public static final String MODE_VARIABLE = "REACTOR_BPF_KERNEL_TESTS";

    private KernelTests() {
    }

    /** Whether kernel tests must run rather than skip. */
    public static boolean required() {
        return "required".equals(System.getenv(MODE_VARIABLE));
    }

    /**
     * Continues when {@code condition} holds; otherwise skips the test, or fails it when kernel tests are
     * required, with {@code what} as the reason.
     */
    public static void require(boolean condition, String what) {
        if (condition) {
            return;
        }
        if (required()) {
            Assertions.fail(what + " (" + MODE_VARIABLE + "=required, so this is a failure, not a skip)");
        }
        Assumptions.abort(what + " (set " + MODE_VARIABLE + "=required to make this a failure)");
    }
}
