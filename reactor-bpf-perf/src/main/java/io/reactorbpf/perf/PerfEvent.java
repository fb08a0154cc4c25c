package io.reactorbpf.perf;

/**
 * What a perf buffer emits: a {@link Sample} a BPF program wrote with {@code bpf_perf_event_output()}, or a
 * {@link Lost} count of samples the kernel dropped because the ring was full.
 */
public sealed interface PerfEvent permits PerfEvent.Sample, PerfEvent.Lost {

    /** The CPU whose ring carried the event. */
    int cpu();

    /**
     * A sample's raw data: the bytes the program passed to {@code bpf_perf_event_output()}, followed by the 0
     * to 7 pad bytes the kernel adds for alignment (as libbpf delivers them). The array is the receiver's.
     */
    record Sample(int cpu, byte[] data) implements PerfEvent {

        /** The data's length in bytes. */
        public int size() {
            return data.length;
        }
    }

    /** The kernel dropped {@code count} samples on {@code cpu}: the ring had no room when they were written. */
    record Lost(int cpu, long count) implements PerfEvent {
    }
}
