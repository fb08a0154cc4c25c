package io.reactorbpf.benchmarks;

/**
 * What one consumer measured over one ring buffer load. In {@code run}, {@code lost} is the program's own count of
 * failed bpf_ringbuf_output calls, so {@link Result#unaccounted()} checks produced == delivered + failed without
 * trusting any reader; {@code reportedLost} is what the reader reported as lost (from our loader's loss count),
 * -1 for a reader that reports none (libbpf's); {@code counted} says whether our loader counted the program's
 * failures; {@code program} is the producer program's own run time over the load.
 */
record RingBufResult(Result run, long reportedLost, boolean counted, ProgramRunTime program) {

    /**
     * Whether the reader's loss report is what it must be: the program's own failed count where our loader counted,
     * nothing where it did not (the kernel counts no failed output), and no report at all from libbpf.
     */
    boolean lossReportAgrees() {
        return reportedLost < 0 || reportedLost == (counted ? run.lost() : 0);
    }

    /** Every sample delivered or failed, and the reader's losses (if any) exactly the failures. */
    boolean balances() {
        return run.unaccounted() == 0 && lossReportAgrees();
    }
}
