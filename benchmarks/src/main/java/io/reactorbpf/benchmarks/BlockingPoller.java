package io.reactorbpf.benchmarks;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.perf.PerfBuffer;
import io.reactorbpf.perf.PerfBufferOptions;
import io.reactorbpf.perf.RecordHandler;

import java.nio.ByteBuffer;

/**
 * Our blocking API driven the way the libbpf consumer drives perf_buffer: a thread named like the Flux
 * poller ({@code perf-MAP}) that calls {@link PerfBuffer#poll} with a 50 ms timeout and, once the load is
 * over, {@link PerfBuffer#consume} for the records below the wakeup threshold that raise no wakeup.
 * The buffer is opened on the calling thread and closed by the poll thread after {@link #stop()}.
 */
final class BlockingPoller implements Runnable, RecordHandler {

    private static final int POLL_MILLIS = 50;

    private final PerfBuffer buffer;
    private final SampleTally tally;
    private final Thread thread;
    private volatile boolean draining;
    private volatile boolean stopped;

    private BlockingPoller(BpfMap map, PerfBufferOptions options, SampleTally tally) {
        this.tally = tally;
        this.buffer = PerfBuffer.open(map, options, this);
        this.thread = new Thread(this, "perf-" + map.name());
        thread.setDaemon(true);
    }

    static BlockingPoller start(BpfMap map, PerfBufferOptions options, SampleTally tally) {
        BlockingPoller poller = new BlockingPoller(map, options, tally);
        poller.thread.start();
        return poller;
    }

    /** From now on every poll is followed by a consume, as libbpf's consumer does after its load. */
    void drain() {
        draining = true;
    }

    /** Stops polling and waits for the poll thread to close the buffer. */
    void stop() {
        stopped = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                buffer.poll(POLL_MILLIS);
                if (draining) {
                    buffer.consume();
                }
            }
        } finally {
            buffer.close();
        }
    }

    @Override
    public void onSample(int cpu, ByteBuffer data, int offset, int length) {
        tally.sample(data, offset);
    }

    @Override
    public void onLost(int cpu, long lost) {
        tally.lost(lost);
    }
}
