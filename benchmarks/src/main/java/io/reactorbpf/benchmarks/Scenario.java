package io.reactorbpf.benchmarks;

/**
 * One load: {@code threads} threads calling getpgid() flat out ({@code rate} 0) or at {@code rate} calls per
 * second in total, for {@code seconds}, each call producing a {@code sampleSize}-byte sample.
 */
record Scenario(int sampleSize, int threads, long rate, double seconds) {

    String name() {
        String load = rate == 0 ? "flat out, " + threads + (threads == 1 ? " thread" : " threads")
                : Report.rate(rate) + "/s, " + threads + (threads == 1 ? " thread" : " threads");
        return (sampleSize >= 1024 ? sampleSize / 1024 + " KiB" : sampleSize + " B") + " samples, " + load;
    }
}
