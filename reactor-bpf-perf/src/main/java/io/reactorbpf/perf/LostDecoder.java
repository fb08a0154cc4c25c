package io.reactorbpf.perf;

/**
 * Turns a lost-sample report into a value of the decoded stream, so decoded streams can carry losses
 * in-band; returning null counts the loss (in the buffer's counters) without emitting anything. Called on
 * the poller thread.
 *
 * @param <T> the decoded stream's element type
 * @since 0.1
 */
@FunctionalInterface
public interface LostDecoder<T> {

    /**
     * The value that reports a loss.
     *
     * @param cpu the CPU whose ring dropped the samples; {@link RingBuf#NO_CPU} for a BPF ring buffer
     * @param count the samples dropped since the last report
     * @return the value to emit, or null to only count the loss
     */
    T lost(int cpu, long count);
}
