package io.reactorbpf.examples.exec;

import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.core.object.ObjectSpec;
import io.reactorbpf.perf.PerfBufferOptions;
import io.reactorbpf.perf.PerfStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The bundled execsnoop BPF object, loaded and attached to {@code syscalls:sys_enter_execve} by its section. Owns
 * the object, which owns the link; {@link #close()} detaches and releases them once. Its {@link #signals} stream
 * reads the object's one perf event array, so one subscription may be live at a time.
 */
public final class ExecSnoopProgram implements AutoCloseable {

    private static final String RESOURCE = "/bpf/execsnoop.bpf.o";

    private final BpfObject object;

    private ExecSnoopProgram(BpfObject object) {
        this.object = object;
    }

    /** Loads and attaches the program; {@code uid} keeps only that user's execs, null keeps all. */
    public static ExecSnoopProgram load(Long uid) {
        ObjectSpec spec = BpfObject.open(bundledObject(), "execsnoop");
        if (uid != null) {
            spec.variable("target_uid").set(uid);
        }
        BpfObject object = spec.load();
        try {
            object.attachAll();
            return new ExecSnoopProgram(object);
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    /**
     * Execs and ring losses from the program's event map, decoded in place on the stream's poller thread, with
     * the default options. Backpressure is the ring: without demand the kernel
     * drops execs and a {@link Lost} follows. Closing this program ends a live stream with
     * {@link io.reactorbpf.perf.PerfBufferClosedException}; complete the stream first to end it cleanly.
     */
    public PerfStream<ExecSignal> signals() {
        return PerfStream.decode(object.map("events"), PerfBufferOptions.defaults(), ExecEvent::decode, Lost::new);
    }

    @Override
    public void close() {
        object.close();
    }

    private static byte[] bundledObject() {
        try (InputStream in = ExecSnoopProgram.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
