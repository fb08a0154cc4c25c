package io.reactorbpf.benchmarks;

/** One ring buffer benchmark load: a {@link Scenario} against a ring of {@code ringBytes} (the RINGBUF's max_entries). */
record RingBufLoad(Scenario load, int ringBytes) {

    String name() {
        return load.name() + ", " + ringSize(ringBytes) + " ring";
    }

    static String ringSize(int bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }
}
