package io.reactorbpf.perf;

/**
 * What a perf buffer emits: a {@link Sample} a BPF program wrote with {@code bpf_perf_event_output()}, or a
 * {@link Lost} count of samples the kernel dropped because the ring was full.
 *
 * @since 0.1
 */
public sealed interface PerfEvent permits PerfEvent.Sample, PerfEvent.Lost {

    /**
     * The CPU whose ring carried the event.
     *
     * @return the CPU number
     */
    int cpu();

    /**
     * A sample's raw data: the bytes the program passed to {@code bpf_perf_event_output()}, followed by the 0
     * to 7 pad bytes the kernel adds for alignment (as libbpf delivers them). The array is the receiver's.
     *
     * @param cpu the CPU whose ring carried the sample
     * @param data the raw data, pad bytes included
     * @since 0.1
     */
    record Sample(int cpu, byte[] data) implements PerfEvent {

        /**
         * The data's length in bytes.
         *
         * @return the length of {@link #data()}
         */
        public int size() {
            return data.length;
        }
    }

    /**
     * The kernel dropped {@code count} samples on {@code cpu}: the ring had no room when they were written.
     *
     * @param cpu the CPU whose ring dropped them
     * @param count how many samples were dropped
     * @since 0.1
     */
    record Lost(int cpu, long count) implements PerfEvent {
    }
}
