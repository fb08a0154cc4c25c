package io.reactorbpf.core.testing;

import io.reactorbpf.core.BpfException;

/**
 * The rule every fuzz target of the loader asserts: reading any input either succeeds or fails with a
 * {@link BpfException} that says what was wrong. Any other throwable (an index, cast or arithmetic error, a stack
 * overflow, an out-of-memory error) escapes and is the fuzzer's finding. Stateless.
 */
public final class TypedFailures {

    private TypedFailures() {
    }

    /** Runs {@code read}; returns when it succeeds or throws a {@link BpfException} with a message. */
    public static void only(Runnable read) {
        try {
            read.run();
        } catch (BpfException typed) {
            if (typed.getMessage() == null || typed.getMessage().isBlank()) {
                throw new AssertionError("a " + typed.getClass().getSimpleName() + " without a message", typed);
            }
        }
    }
}
