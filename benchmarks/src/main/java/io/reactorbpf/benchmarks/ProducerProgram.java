package io.reactorbpf.benchmarks;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.core.object.ObjectSpec;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

/**
 * The benchmark producer, {@code producer.bpf.o} (from {@code src/main/bpf/producer.bpf.c}), loaded for the
 * Java consumer by our object loader: the very object the libbpf consumer opens, with {@code target_tgid} and
 * {@code sample_size} set in {@code .rodata} before load, attached to {@code syscalls:sys_enter_getpgid} by its
 * section.
 *
 * <p>Owns the loaded object, which owns the link; {@link #close()} releases them. Not thread-safe.
 */
final class ProducerProgram implements AutoCloseable {

    private final BpfObject object;

    private ProducerProgram(BpfObject object) {
        this.object = object;
    }

    /** Loads and attaches {@code file} for getpgid() calls of process {@code tgid}, writing {@code sampleSize}-byte samples. */
    static ProducerProgram attach(Path file, int tgid, int sampleSize) {
        ObjectSpec spec = BpfObject.open(file);
        spec.variable("target_tgid").set(tgid);
        spec.variable("sample_size").set(sampleSize);
        BpfObject object = spec.load();
        try {
            object.attachAll();
            return new ProducerProgram(object);
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    /** The PERF_EVENT_ARRAY the program writes to; owned by this object. */
    BpfMap events() {
        return object.map("events");
    }

    /** Samples produced so far on all CPUs, fitted in a ring or not. */
    long produced() {
        return perCpuSum(object, "produced");
    }

    /** The sum over all CPUs of the u64 element 0 of the per-CPU array {@code name} of {@code object}. */
    static long perCpuSum(BpfObject object, String name) {
        List<byte[]> perCpu = object.map(name).lookupPerCpu(new byte[4])
                .orElseThrow(() -> new IllegalStateException("the " + name + " counter has no element 0"));
        long sum = 0;
        for (byte[] value : perCpu) {
            sum += ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong(0);
        }
        return sum;
    }

    @Override
    public void close() {
        object.close();
    }
}
