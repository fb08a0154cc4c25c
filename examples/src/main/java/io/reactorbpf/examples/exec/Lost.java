package io.reactorbpf.examples.exec;

/**
 * {@code count} events that never reached the reader: dropped by the kernel because the ring of {@code cpu} was
 * full, or, when {@code cpu} is {@link #CLIENT}, dropped by a server because one client read too slowly.
 */
public record Lost(int cpu, long count) implements ExecSignal {

    /** The "cpu" of losses in a client's own bounded buffer rather than in a kernel ring. */
    public static final int CLIENT = -1;

    /** Whether the loss happened in a client's buffer (true) or in a kernel ring (false). */
    public boolean inClient() {
        return cpu == CLIENT;
    }
}
