package io.reactorbpf.benchmarks.jmh;

import io.reactorbpf.perf.KernelLikeRing;
import io.reactorbpf.perf.RecordHandler;
import io.reactorbpf.perf.RecordVisitor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The ring-parsing hot path with no kernel: {@code PerfRing.read}, the one record path every reader takes, over a kernel-like ring of 64-byte or
 * 1 KiB samples, whole or with records wrapping past the end of the data area; reported as records per
 * second. The handler reads each sample's two u64 fields, as a consumer reading seq and ktime would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RingDrainBenchmark {

    /** Records per drain pass; every pass drains them all. */
    static final int RECORDS = 200;

    @Param({"64", "1024"})
    public int sampleSize;

    @Param({"false", "true"})
    public boolean wrap;

    private KernelLikeRing ring;
    private RecordVisitor visitor;

    @Setup(Level.Trial)
    public void fill(Blackhole blackhole) {
        ring = new KernelLikeRing(64, sampleSize, RECORDS, wrap);
        visitor = RecordVisitor.decoding(new Handler(blackhole));
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public int drain() {
        ring.rewind();
        return ring.ring().read(visitor);
    }

    static final class Handler implements RecordHandler {
        private final Blackhole blackhole;

        Handler(Blackhole blackhole) {
            this.blackhole = blackhole;
        }

        @Override
        public void onSample(int cpu, ByteBuffer data, int offset, int length) {
            blackhole.consume(data.getLong(offset) + data.getLong(offset + 8));
        }

        @Override
        public void onLost(int cpu, long lost) {
            blackhole.consume(lost);
        }
    }
}
