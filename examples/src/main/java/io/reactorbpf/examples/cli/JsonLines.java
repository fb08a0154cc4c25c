package io.reactorbpf.examples.cli;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * JSON values, one per line, into a buffered stream (stdout by default). Output is flushed at most
 * {@link #FLUSH_MILLIS} ms after it was written, by the writer when it writes after that bound and by a daemon
 * thread when the stream goes quiet, so a pipe sees events promptly without a flush per event.
 *
 * <p>Thread-safe: writes and flushes take this object's lock (uncontended on the usual one-writer path).
 * Owns the flushing thread; {@link #close()} stops it and flushes, and leaves the stream open.
 */
public final class JsonLines implements AutoCloseable {

    /** The longest time written output waits in the buffer. */
    public static final long FLUSH_MILLIS = 100;

    private static final JsonFactory JSON = JsonFactory.builder().rootValueSeparator((String) null).build();

    private final JsonGenerator generator;
    private final ScheduledExecutorService flusher;
    private long firstUnflushedNanos;
    private boolean dirty;

    public JsonLines(OutputStream out) {
        this.generator = JSON.createGenerator(ObjectWriteContext.empty(), out);
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "json-lines-flush");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushIfDue, FLUSH_MILLIS, FLUSH_MILLIS / 2, TimeUnit.MILLISECONDS);
    }

    /** JSON lines on stdout, through a 64 KiB buffer. */
    public static JsonLines stdout() {
        return new JsonLines(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
    }

    /** Writes one value with {@code value}, which must write exactly one JSON value into the generator. */
    public synchronized void write(Consumer<JsonGenerator> value) {
        value.accept(generator);
        generator.writeRaw('\n');
        long now = System.nanoTime();
        if (!dirty) {
            dirty = true;
            firstUnflushedNanos = now;
        } else if (now - firstUnflushedNanos >= TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS)) {
            flush();
        }
    }

    /** Writes out everything buffered; every value written so far already ends its line. */
    public synchronized void flush() {
        generator.flush();
        dirty = false;
    }

    private synchronized void flushIfDue() {
        if (dirty && System.nanoTime() - firstUnflushedNanos >= TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS) / 2) {
            flush();
        }
    }

    @Override
    public void close() {
        flusher.shutdownNow();
        flush();
    }
}
