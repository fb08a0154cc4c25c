package io.reactorbpf.perf;

/**
 * Turns a lost-sample report into a value of the decoded stream, so decoded streams can carry losses
 * in-band; returning null counts the loss (in the buffer's counters) without emitting anything. Called on
 * the poller thread.
 *
 * @param <T> the decoded stream's element type
 */
@FunctionalInterface
public interface LostDecoder<T> {

    T lost(int cpu, long count);
}
