package io.reactorbpf.perf;

/**
 * Releases what an opening step had opened when it fails: each resource, in the order given (the last opened
 * first), is closed, nulls skipped, and what a close throws is added to the failure as suppressed, so the cause
 * the caller rethrows stays the first thing that went wrong. Static; runs on the failing thread.
 */
final class Unwind {

    private Unwind() {
    }

    /** Closes {@code opened} after {@code failure}, which the caller then rethrows. */
    static void after(Throwable failure, AutoCloseable... opened) {
        for (AutoCloseable c : opened) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    failure.addSuppressed(suppressed);
                }
            }
        }
    }
}
