package io.reactorbpf.benchmarks;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.perf.PerfBuffer;
import io.reactorbpf.perf.PerfBufferOptions;
import io.reactorbpf.perf.RecordHandler;
import io.reactorbpf.perf.RingBuffer;

import java.nio.ByteBuffer;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;

/**
 * Our blocking APIs driven the way the libbpf consumers drive perf_buffer and ring_buffer: a thread named like
 * the Flux poller ({@code perf-MAP}, {@code ringbuf-MAP}) that calls {@code poll} with a 50 ms timeout and, once
 * the load is over, {@code consume} after each poll, for records that raise no wakeup (below a perf wakeup
 * threshold) and for ring buffer losses that came with no sample. The reader is opened on the calling thread and
 * closed by the poll thread after {@link #stop()}.
 */
final class BlockingPoller implements Runnable, RecordHandler {

    private static final int POLL_MILLIS = 50;

    /** The calls the poll thread makes on our reader: libbpf's __poll, __consume and __free. */
    private record Reader(IntUnaryOperator poll, IntSupplier consume, Runnable close) {
    }

    private final Reader reader;
    private final SampleTally tally;
    private final Thread thread;
    private volatile boolean draining;
    private volatile boolean stopped;

    private BlockingPoller(String threadName, Function<RecordHandler, Reader> open, SampleTally tally) {
        this.tally = tally;
        this.reader = open.apply(this);
        this.thread = new Thread(this, threadName);
        thread.setDaemon(true);
    }

    /** Polls a {@link PerfBuffer} over {@code map} on a thread named {@code perf-MAP}. */
    static BlockingPoller perf(BpfMap map, PerfBufferOptions options, SampleTally tally) {
        return start(new BlockingPoller("perf-" + map.name(), handler -> {
            PerfBuffer buffer = PerfBuffer.open(map, options, handler);
            return new Reader(buffer::poll, buffer::consume, buffer::close);
        }, tally));
    }

    /** Polls a {@link RingBuffer} over {@code map} on a thread named {@code ringbuf-MAP}. */
    static BlockingPoller ringBuf(BpfMap map, SampleTally tally) {
        return start(new BlockingPoller("ringbuf-" + map.name(), handler -> {
            RingBuffer ring = RingBuffer.open(map, handler);
            return new Reader(ring::poll, ring::consume, ring::close);
        }, tally));
    }

    private static BlockingPoller start(BlockingPoller poller) {
        poller.thread.start();
        return poller;
    }

    /** From now on every poll is followed by a consume, as libbpf's consumers do after their load. */
    void drain() {
        draining = true;
    }

    /** Stops polling and waits for the poll thread to close the reader. */
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
                reader.poll.applyAsInt(POLL_MILLIS);
                if (draining) {
                    reader.consume.getAsInt();
                }
            }
        } finally {
            reader.close.run();
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
