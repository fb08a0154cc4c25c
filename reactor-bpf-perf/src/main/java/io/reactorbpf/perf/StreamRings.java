package io.reactorbpf.perf;

/**
 * What a {@link StreamPoller} owns and drives: the rings of one stream subscription, perf rings
 * ({@link RingSet}) or BPF ring buffers ({@link RingBufSet}), with the descriptors that serve them. The engine
 * under both kinds of stream: the poller's loop, its signals and its lifecycle are the same; only how records
 * are read and how output stops differ.
 *
 * <p>Threading: confined to the poller thread (and, before it starts, the subscribing thread that opened it);
 * only {@link #signal()}, {@link #claimReleasing()}, {@link #isPaused()} and {@link #rings()} may be called from
 * any thread.
 */
interface StreamRings extends AutoCloseable {

    /** The map the rings serve. */
    String mapName();

    /** How long the poller may wait with records below a wakeup threshold, in milliseconds; -1: wakeups only. */
    int peekMillis();

    /** The poller that owns the rings from now on; records it must read outside a pass go to it. */
    void adopt(StreamPoller<?> poller);

    /** Interrupts the poller's wait, now or the next time it waits. Any thread; nothing once closed. */
    void signal();

    /** Says the reader is stopping, so a new claim on the map waits for {@link #releaseMap()}. Any thread. */
    void claimReleasing();

    /** Gives the map up at once (another reader may open it), before the rings are released. */
    void releaseMap();

    /** Whether output is paused now. Any thread. */
    boolean isPaused();

    /** Pauses output, where the kind of ring can: its records stop arriving without being counted as lost. */
    void pause();

    /** Resumes output that {@link #pause()} paused. */
    void resume();

    /** Stops output for good, or marks how far the rings are read before the stream completes. */
    void stopOutput();

    /** Whether records wait that the poller has still to hand out before it completes. */
    boolean hasData();

    /** Waits, up to {@code timeoutMillis} (-1: forever), for a {@link #signal()} only; the rings are left alone. */
    void awaitSignal(int timeoutMillis);

    /** Waits, up to {@code timeoutMillis} (-1: forever), for a ring wakeup or a signal; reads nothing. */
    void await(int timeoutMillis);

    /** Reads the rings in turn with {@code poller} until each is read or the poller declines a record. */
    int readFair(StreamPoller<?> poller);

    /** The rings open now, with their counters. Any thread. */
    PerfRings rings();

    /** Releases the rings and every descriptor; the poller thread, after it has left its wait for good. */
    @Override
    void close();
}
