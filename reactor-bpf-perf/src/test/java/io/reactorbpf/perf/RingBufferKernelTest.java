package io.reactorbpf.perf;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.testing.GetpgidRingSampler;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.core.testing.OpenDescriptors;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@KernelTest
class RingBufferKernelTest {

    /** Collects sequence numbers; checks the CPU is the ring buffer's "no CPU". */
    private static final class Collect implements RecordHandler {
        final BitSet seen = new BitSet();
        long samples;

        @Override
        public void onSample(int cpu, ByteBuffer data, int offset, int length) {
            assertEquals(RingBuf.NO_CPU, cpu);
            samples++;
            seen.set((int) data.getLong(offset));
        }

        @Override
        public void onLost(int cpu, long lost) {
            throw new AssertionError("a ring buffer has no LOST records");
        }
    }

    @Test
    void everySampleArrivesOnceWithItsPayload() {
        Collect collect = new Collect();
        try (GetpgidRingSampler sampler = GetpgidRingSampler.forThisProcess("rb_exact", 32, 1 << 16).attach();
             RingBuffer reader = RingBuffer.open(sampler.ring(), collect)) {
            GetpgidSampler.trigger(1000);
            assertEquals(1000, reader.consume());
            assertEquals(1000, collect.seen.cardinality());
            assertEquals(1000, collect.seen.nextClearBit(0));
            assertEquals(1000, sampler.produced());
            assertEquals(0, sampler.failed());
            assertEquals(1000, reader.counters(0).samples());
            assertEquals(0, reader.availableBytes(0));
        }
    }

    @Test
    void aFullRingFailsTheProgramsOutputAndProducedIsDeliveredPlusFailed() {
        Collect collect = new Collect();
        try (GetpgidRingSampler sampler = GetpgidRingSampler.forThisProcess("rb_full", 64, 4096).attach();
             RingBuffer reader = RingBuffer.open(sampler.ring(), collect)) {
            GetpgidSampler.trigger(500);
            assertTrue(sampler.failed() > 0, "500 samples of 72 bytes overflow a 4 KiB ring");
            reader.consume();
            GetpgidSampler.trigger(100);
            reader.consume();
            assertEquals(sampler.produced(), collect.samples + sampler.failed(), "produced == delivered + failed");
        }
    }

    @Test
    void pollReturnsWhenTheKernelWakesTheReader() throws Exception {
        Collect collect = new Collect();
        try (GetpgidRingSampler sampler = GetpgidRingSampler.forThisProcess("rb_poll", 16, 1 << 16).attach();
             RingBuffer reader = RingBuffer.open(sampler.ring(), collect)) {
            assertEquals(0, reader.poll(0), "nothing written, nothing ready");
            Thread producer = new Thread(() -> GetpgidSampler.trigger(3));
            producer.start();
            int handled = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (handled < 3 && System.nanoTime() < deadline) {
                handled += reader.poll(5_000);
            }
            producer.join();
            assertEquals(3, handled);
        }
    }

    @Test
    void addedRingsShareOneEpollAndEachHasItsHandler() {
        Collect first = new Collect();
        Collect second = new Collect();
        try (GetpgidRingSampler a = GetpgidRingSampler.forThisProcess("rb_a", 16, 1 << 14).attach();
             GetpgidRingSampler b = GetpgidRingSampler.forThisProcess("rb_b", 16, 1 << 14).attach();
             RingBuffer reader = RingBuffer.open(a.ring(), first)) {
            reader.add(b.ring(), second);
            assertEquals(2, reader.ringCount());
            GetpgidSampler.trigger(40);
            int handled = 0;
            while (handled < 80) {
                handled += reader.poll(5_000);
            }
            assertEquals(40, first.samples);
            assertEquals(40, second.samples);
            assertEquals(0, reader.consumeRing(1));
        }
    }

    @Test
    void consumeNStopsAtItsLimitAndLeavesTheRestInTheRing() {
        Collect collect = new Collect();
        try (GetpgidRingSampler sampler = GetpgidRingSampler.forThisProcess("rb_n", 16, 1 << 14).attach();
             RingBuffer reader = RingBuffer.open(sampler.ring(), collect)) {
            GetpgidSampler.trigger(10);
            assertEquals(4, reader.consume(4));
            assertEquals(6 * 24, reader.availableBytes(0), "six 24-byte records wait");
            assertEquals(6, reader.consume(100));
            assertEquals(10, collect.seen.nextClearBit(0));
        }
    }

    @Test
    void theWrongKindOfMapIsRefusedNamingTheReaderItNeeds() {
        try (GetpgidSampler perf = GetpgidSampler.forThisProcess("rb_wrong", 16);
             GetpgidRingSampler ring = GetpgidRingSampler.forThisProcess("rb_right", 16, 4096)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RingBuffer.open(perf.events(), new Collect()));
            assertTrue(e.getMessage().contains("PerfBuffer"), e.getMessage());
            IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                    () -> PerfBuffer.open(ring.ring(), PerfBufferOptions.defaults(), new Collect()));
            assertTrue(f.getMessage().contains("RingBuffer"), f.getMessage());
        }
    }

    @Test
    void aSecondReaderOfTheSameRingFailsAtOnce() {
        try (GetpgidRingSampler sampler = GetpgidRingSampler.forThisProcess("rb_twice", 16, 4096);
             RingBuffer reader = RingBuffer.open(sampler.ring(), new Collect())) {
            long start = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> RingBuffer.open(sampler.ring(), new Collect()));
            assertTrue(System.nanoTime() - start < Duration.ofMillis(50).toNanos());
            assertTrue(e.getMessage().contains("already has an open reader"), e.getMessage());
            assertEquals(1, reader.ringCount());
        }
    }

    @Test
    void closeFromAnotherThreadEndsAPollAThousandTimesAndLeaksNothing() throws Exception {
        try (GetpgidRingSampler sampler = GetpgidRingSampler.forThisProcess("rb_close", 16, 4096).attach()) {
            closeDuringPoll(sampler);
            Map<String, Long> fds = OpenDescriptors.kernelObjects();
            long mappings = ringMappings();
            try (RingBuffer open = RingBuffer.open(sampler.ring(), new Collect())) {
                assertEquals(mappings + 2, ringMappings(), "an open reader maps the consumer and producer pages");
            }
            for (int i = 0; i < 1_000; i++) {
                closeDuringPoll(sampler);
            }
            assertEquals(fds, OpenDescriptors.kernelObjects(), "open descriptors");
            assertEquals(mappings, ringMappings(), "ring buffer mappings");
        }
    }

    private static void closeDuringPoll(GetpgidRingSampler sampler) throws InterruptedException {
        RingBuffer reader = RingBuffer.open(sampler.ring(), new Collect());
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    reader.poll(-1);
                }
            } catch (Throwable e) {
                ended.set(e);
            }
        }, "rb-close-reader");
        t.start();
        GetpgidSampler.trigger(2);
        reader.close();
        t.join(5_000);
        assertFalse(t.isAlive(), "the poll ended after close");
        assertInstanceOf(PerfBufferClosedException.class, ended.get());
    }

    @Test
    void closingTheMapClosesTheReader() throws Exception {
        try (GetpgidRingSampler sampler = GetpgidRingSampler.forThisProcess("rb_mapclose", 16, 4096).attach()) {
            BpfMap own = BpfMap.of(sampler.ring().fd().duplicate("test"), "rb_mapclose");
            RingBuffer reader = RingBuffer.open(own, new Collect());
            own.close();
            PerfBufferClosedException e = assertThrows(PerfBufferClosedException.class, () -> reader.poll(0));
            assertTrue(e.getMessage().contains("map 'rb_mapclose' was closed"), e.getMessage());
            reader.close();
        }
    }

    /** Mappings of BPF maps (ring buffers) in this process. */
    private static long ringMappings() {
        try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
            return maps.filter(l -> l.contains("bpf")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
