package io.reactorbpf.core.testing;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.core.object.ObjectSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * The committed ringbuf_lost object (bpf/ringbuf/ringbuf_lost.bpf.c) loaded and attached for this process: each
 * getpgid() writes {@code burst} 16-byte samples to each of its 4 KiB ring buffers, {@code reserved} (through
 * bpf_ringbuf_reserve in a subprogram) and {@code output} (through bpf_ringbuf_output), and counts in its own
 * globals what it attempted and what failed: the truth that loss counts are checked against.
 */
public final class RingBufLostObject implements AutoCloseable {

    private final BpfObject object;

    private RingBufLostObject(BpfObject object) {
        this.object = object;
    }

    /** Loads it with {@code burst} samples per ring per getpgid() (at most 64) and attaches it. */
    public static RingBufLostObject load(int burst) {
        return load(burst, spec -> { });
    }

    /** As {@link #load(int)}, with {@code configure} applied to the spec before load. */
    public static RingBufLostObject load(int burst, Consumer<ObjectSpec> configure) {
        ObjectSpec spec = BpfObject.open(bytes(), "ringbuf_lost");
        spec.variable("target_pid").set(ProcessHandle.current().pid());
        spec.variable("burst").set(burst);
        configure.accept(spec);
        BpfObject object = spec.load();
        try {
            object.attachAll();
            return new RingBufLostObject(object);
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    /** The object file's bytes. */
    public static byte[] bytes() {
        try (InputStream in = RingBufLostObject.class.getResourceAsStream("/bpf/ringbuf/ringbuf_lost.bpf.o")) {
            if (in == null) {
                throw new IllegalStateException("bpf/ringbuf/ringbuf_lost.bpf.o is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public BpfObject object() {
        return object;
    }

    /** The ring written through bpf_ringbuf_reserve/submit. */
    public BpfMap reserved() {
        return object.map("reserved");
    }

    /** The ring written through bpf_ringbuf_output. */
    public BpfMap output() {
        return object.map("output");
    }

    public long reserveAttempts() {
        return object.variable("reserved_attempts").getLong();
    }

    public long reserveFailures() {
        return object.variable("reserve_failures").getLong();
    }

    public long outputAttempts() {
        return object.variable("output_attempts").getLong();
    }

    public long outputFailures() {
        return object.variable("output_failures").getLong();
    }

    @Override
    public void close() {
        object.close();
    }
}
