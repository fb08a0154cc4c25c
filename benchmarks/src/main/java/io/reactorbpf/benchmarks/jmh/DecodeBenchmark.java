package io.reactorbpf.benchmarks.jmh;

import io.reactorbpf.perf.KernelLikeRing;
import io.reactorbpf.perf.PerfEvent;
import io.reactorbpf.perf.RecordDecoder;
import io.reactorbpf.perf.RecordHandler;
import io.reactorbpf.perf.RecordVisitor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
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
 * Decoding in place against copying out, over the same kernel-like ring: {@code inPlace} hands each sample to
 * a {@link RecordDecoder} that reads its fields from ring memory and returns a value it already has (what
 * {@code PerfStream.decode} does per record, minus the Flux); {@code copied} makes a
 * {@link PerfEvent.Sample} with its own array (what {@code events()} does). Run with {@code -prof gc}:
 * {@code gc.alloc.rate.norm} divided by the records per operation is the heap cost per event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DecodeBenchmark {

    @Param({"64", "1024"})
    public int sampleSize;

    private KernelLikeRing ring;
    private RecordVisitor inPlace;
    private RecordVisitor copied;

    @Setup
    public void fill(Blackhole blackhole) {
        ring = new KernelLikeRing(64, sampleSize, RingDrainBenchmark.RECORDS, true);
        Long kept = 0L;
        inPlace = RecordVisitor.decoding(new Decoding((cpu, data, offset, length) -> {
            blackhole.consume(data.getLong(offset + 8));
            return kept;
        }, blackhole));
        copied = RecordVisitor.decoding(new Decoding((cpu, data, offset, length) -> {
            byte[] bytes = new byte[length];
            data.get(offset, bytes);
            return new PerfEvent.Sample(cpu, bytes);
        }, blackhole));
    }

    @Benchmark
    @OperationsPerInvocation(RingDrainBenchmark.RECORDS)
    public int inPlace() {
        ring.rewind();
        return ring.ring().read(inPlace);
    }

    @Benchmark
    @OperationsPerInvocation(RingDrainBenchmark.RECORDS)
    public int copied() {
        ring.rewind();
        return ring.ring().read(copied);
    }

    /** A record handler that runs a decoder per sample and hands the value on, as the decoded stream does. */
    static final class Decoding implements RecordHandler {
        private final RecordDecoder<?> decoder;
        private final Blackhole blackhole;

        Decoding(RecordDecoder<?> decoder, Blackhole blackhole) {
            this.decoder = decoder;
            this.blackhole = blackhole;
        }

        @Override
        public void onSample(int cpu, ByteBuffer data, int offset, int length) {
            blackhole.consume(decoder.decode(cpu, data, offset, length));
        }

        @Override
        public void onLost(int cpu, long lost) {
            blackhole.consume(lost);
        }
    }
}
