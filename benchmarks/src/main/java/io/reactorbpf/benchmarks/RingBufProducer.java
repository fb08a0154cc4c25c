package io.reactorbpf.benchmarks;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.core.object.ObjectSpec;
import io.reactorbpf.core.sys.FileDescriptor;

import java.nio.file.Path;

/**
 * The ring buffer benchmark producer, {@code producer_ringbuf.bpf.o} (from {@code src/main/bpf/producer_ringbuf.bpf.c}),
 * loaded for our consumers by our object loader: the object the libbpf ring_buffer consumer opens, with
 * {@code target_tgid} and {@code sample_size} set before load, its ring sized, and our loader's loss counting on or
 * off, attached to {@code syscalls:sys_enter_getpgid} by its section.
 *
 * <p>Owns the loaded object, which owns the link; {@link #close()} releases them. Not thread-safe.
 */
final class RingBufProducer implements AutoCloseable {

    private final BpfObject object;

    private RingBufProducer(BpfObject object) {
        this.object = object;
    }

    /**
     * Loads and attaches {@code file} for getpgid() calls of process {@code tgid}, writing {@code sampleSize}-byte
     * samples into a ring of {@code ringBytes}; with {@code countLosses} our loader instruments the program so the
     * readers report what did not fit.
     *
     * @throws IllegalStateException if counting was asked for and the loader could not count for this object
     */
    static RingBufProducer attach(Path file, int tgid, int sampleSize, int ringBytes, boolean countLosses) {
        ObjectSpec spec = BpfObject.open(file).countRingBufLosses(countLosses);
        spec.variable("target_tgid").set(tgid);
        spec.variable("sample_size").set(sampleSize);
        spec.map("events").maxEntries(ringBytes);
        BpfObject object = spec.load();
        try {
            if (countLosses && object.map("events").lossCounter().isEmpty()) {
                // a run labelled "counted" that counted nothing would compare nothing
                throw new IllegalStateException("the loader added no loss count to " + file + "'s ring buffer");
            }
            object.attachAll();
            return new RingBufProducer(object);
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    /** The RINGBUF the program writes to; owned by this object. */
    BpfMap events() {
        return object.map("events");
    }

    /** The producer program's descriptor, whose fdinfo carries its run-time statistics. */
    FileDescriptor program() {
        return object.program("produce").fd();
    }

    /** Samples the program tried to write so far, on all CPUs. */
    long produced() {
        return ProducerProgram.perCpuSum(object, "produced");
    }

    /** Samples whose bpf_ringbuf_output failed, as the program counted them itself. */
    long failed() {
        return ProducerProgram.perCpuSum(object, "failed");
    }

    @Override
    public void close() {
        object.close();
    }
}
