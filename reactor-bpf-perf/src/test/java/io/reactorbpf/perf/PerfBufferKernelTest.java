package io.reactorbpf.perf;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.MapCreateAttr;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.sys.PerfEventAttr;
import io.reactorbpf.core.testing.CpuAffinity;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.core.testing.OpenDescriptors;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@KernelTest
class PerfBufferKernelTest {

    /** Collects sequence numbers and losses from the blocking API. */
    private static final class Collect implements RecordHandler {
        final BitSet seen = new BitSet();
        long samples;
        long lost;

        @Override
        public void onSample(int cpu, ByteBuffer data, int offset, int length) {
            samples++;
            seen.set((int) data.getLong(offset));
        }

        @Override
        public void onLost(int cpu, long count) {
            lost += count;
        }
    }

    @Test
    void theBlockingApiHasARingAndADescriptorPerOnlineCpu() {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("blocking", 16).attachWithLink();
             PerfBuffer buffer = PerfBuffer.open(sampler.events(), PerfBufferOptions.defaults(), new Collect())) {
            int[] online = CpuSet.online().toArray();
            assertEquals(online.length, buffer.bufferCount());
            Set<Integer> fds = new HashSet<>();
            for (int i = 0; i < buffer.bufferCount(); i++) {
                assertEquals(online[i], buffer.cpu(i));
                fds.add(buffer.bufferFd(i).fd());
            }
            assertEquals(online.length, fds.size(), "distinct perf event descriptors");
            assertFalse(fds.contains(buffer.epollFd().fd()));
        }
    }

    @Test
    void consumeHandsOutEverySampleOnce() {
        Collect collect = new Collect();
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("consume", 16).attachWithLink();
             PerfBuffer buffer = PerfBuffer.open(sampler.events(), PerfBufferOptions.defaults(), collect)) {
            GetpgidSampler.trigger(500);
            assertEquals(500, buffer.consume());
            assertEquals(0, buffer.consume());
            assertEquals(500, collect.seen.cardinality());
            assertEquals(500, buffer.samples());
        }
    }

    @Test
    void pollWaitsForTheKernelsWakeupAndConsumesTheReadyRings() {
        Collect collect = new Collect();
        int cpu = CpuSet.online().toArray()[0];
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("poll", 16).attachWithLink();
             PerfBuffer buffer = PerfBuffer.open(sampler.events(), wakeupEvery(1), collect)) {
            assertEquals(0, buffer.poll(0), "nothing written, nothing ready");
            CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(3));
            int handled = 0;
            while (handled < 3) {
                handled += buffer.poll(5_000);
            }
            assertEquals(3, handled);
            assertEquals(3, collect.samples);
        }
    }

    @Test
    void wakeupEndsAPollWithNoTimeoutFromAnotherThread() throws Exception {
        Collect collect = new Collect();
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("wakeup", 16).attachWithLink();
             PerfBuffer buffer = PerfBuffer.open(sampler.events(), wakeupEvery(16), collect)) {
            AtomicLong returned = new AtomicLong(-1);
            Thread reader = new Thread(() -> returned.set(buffer.poll(-1)), "perf-wakeup-test");
            reader.start();
            buffer.wakeup();
            reader.join(5_000);
            if (reader.isAlive()) {
                // a ring wakeup frees the reader before the buffer closes, so its memory is not unmapped under it
                GetpgidSampler.trigger(64);
                reader.join();
            }
            assertEquals(0, returned.get(), "poll(-1) returned 0 on the wakeup, with no ring ready");
        }
    }

    @Test
    void aWakeupBeforeThePollIsKeptAndOneAfterCloseIsIgnored() {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("early", 16).attachWithLink()) {
            PerfBuffer buffer = PerfBuffer.open(sampler.events(), wakeupEvery(16), new Collect());
            buffer.wakeup();
            long start = System.nanoTime();
            assertEquals(0, buffer.poll(10_000));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(),
                    "the earlier wakeup ended the wait, not its 10 s timeout");
            buffer.close();
            buffer.wakeup();
        }
    }

    @Test
    void closingTheBlockingApiReleasesEveryDescriptor() throws Exception {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("fds", 16).attachWithLink()) {
            PerfBuffer.open(sampler.events(), PerfBufferOptions.defaults(), new Collect()).close();
            Map<String, Long> fds = OpenDescriptors.kernelObjects();
            for (int i = 0; i < 100; i++) {
                PerfBuffer.open(sampler.events(), PerfBufferOptions.defaults(), new Collect()).close();
            }
            assertEquals(fds, OpenDescriptors.kernelObjects(), "open descriptors after 100 open/close cycles");
        }
    }

    @Test
    void consumeBufferReadsOnlyThatRing() {
        int[] online = CpuSet.online().toArray();
        Collect collect = new Collect();
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("one_ring", 16).attachWithLink();
             PerfBuffer buffer = PerfBuffer.open(sampler.events(), PerfBufferOptions.defaults(), collect)) {
            CpuAffinity.runOn(online[online.length - 1], () -> GetpgidSampler.trigger(7));
            for (int i = 0; i < buffer.bufferCount() - 1; i++) {
                assertEquals(0, buffer.consumeBuffer(i));
            }
            assertEquals(7, buffer.consumeBuffer(buffer.bufferCount() - 1));
        }
    }

    @Test
    void theBlockingApiAgreesWithTheFlux() {
        int calls = 300;
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("agree", 16).attachWithLink()) {
            Collect collect = new Collect();
            try (PerfBuffer buffer = PerfBuffer.open(sampler.events(), PerfBufferOptions.defaults(), collect)) {
                GetpgidSampler.trigger(calls);
                buffer.consume();
            }
            BitSet fromFlux = new BitSet();
            StepVerifier.create(PerfStream.samples(sampler.events(), PerfBufferOptions.defaults()).take(calls))
                    .then(() -> GetpgidSampler.trigger(calls))
                    .thenConsumeWhile(s -> {
                        fromFlux.set((int) ByteBuffer.wrap(s.data()).order(ByteOrder.nativeOrder()).getLong(0) - calls);
                        return true;
                    })
                    .verifyComplete();
            assertEquals(collect.seen, fromFlux, "the same sequence numbers, offset by the first batch");
        }
    }

    @Test
    void theRawVariantReadsChosenCpusIntoChosenKeysWithHeaders() {
        int cpu = CpuSet.online().toArray()[0];
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("raw", 16).attachWithLink()) {
            PerfEventAttr attr = PerfEventAttr.bpfOutput(1);
            PerfBufferOptions options = PerfBufferOptions.builder().raw(attr, new int[] {cpu}, new int[] {cpu}).build();
            List<PerfRecord> records = new ArrayList<>();
            StepVerifier.create(PerfStream.records(sampler.events(), options).take(5))
                    .then(() -> CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(5)))
                    .thenConsumeWhile(records::add)
                    .verifyComplete();
            for (PerfRecord r : records) {
                assertEquals(PerfRecordType.SAMPLE, r.type());
                assertEquals(cpu, r.cpu());
                ByteBuffer b = ByteBuffer.wrap(r.bytes()).order(ByteOrder.nativeOrder());
                assertEquals(PerfRecordType.SAMPLE, b.getInt(0), "header type");
                assertEquals(r.bytes().length, Short.toUnsignedInt(b.getShort(6)), "header size");
                assertEquals(20, b.getInt(8), "raw size after the header");
            }
        }
    }

    @Test
    void decodeInPlaceSeesWrappedSamplesWhole() {
        int cpu = CpuSet.online().toArray()[0];
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("decode", 1000).attachWithLink()) {
            // 8 KiB rings and 1016-byte records: records straddle the ring's end again and again
            PerfBufferOptions options = PerfBufferOptions.builder().pages(2).build();
            BitSet seen = new BitSet();
            AtomicLong lost = new AtomicLong();
            AtomicLong bad = new AtomicLong();
            reactor.core.Disposable d = PerfStream.decode(sampler.events(), options, (c, data, offset, length) -> {
                long seq = data.getLong(offset);
                for (int i = 16; i < 1000; i += 8) {
                    if (data.getLong(offset + i) != 0) {
                        bad.incrementAndGet();
                    }
                }
                return seq;
            }, (c, count) -> -count).subscribe(v -> {
                if (v < 0) {
                    lost.addAndGet(-v);
                } else {
                    seen.set(v.intValue());
                }
            });
            for (int i = 0; i < 200; i++) {
                CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(5));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (seen.cardinality() + lost.get() < sampler.produced()) {
                assertTrue(System.nanoTime() < deadline, "delivered " + seen.cardinality() + " + lost " + lost.get()
                        + " < produced " + sampler.produced());
                CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(1));
                Thread.onSpinWait();
            }
            d.dispose();
            assertEquals(0, bad.get(), "payload bytes after the sequence number and timestamp are zero");
            assertTrue(seen.cardinality() > 100, "most samples arrive: " + seen.cardinality());
        }
    }

    @Test
    void pausedOutputIsNeitherDeliveredNorLostAndResumeRestoresIt() {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("pause", 16).attachWithLink()) {
            PerfStream<PerfEvent.Sample> stream = PerfStream.samples(sampler.events(), PerfBufferOptions.defaults());
            StepVerifier.create(stream.take(5))
                    .then(() -> {
                        stream.pause();
                        awaitPaused(stream, true);
                        GetpgidSampler.trigger(10);
                    })
                    .expectNoEvent(Duration.ofMillis(50))
                    .then(() -> {
                        stream.resume();
                        awaitPaused(stream, false);
                        GetpgidSampler.trigger(5);
                    })
                    .expectNextCount(5)
                    .verifyComplete();
            assertEquals(15, sampler.produced());
            // take(5) cancels from onNext; the poller releases the rings as that onNext returns
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (stream.isLive()) {
                assertTrue(System.nanoTime() < deadline, "the subscription ended with the rings released");
                Thread.onSpinWait();
            }
            assertFalse(stream.complete(), "nothing live to complete");
        }
    }

    @Test
    void completeDrainsWhatTheRingsHoldThenCompletes() {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("complete", 16).attachWithLink()) {
            PerfStream<PerfEvent.Sample> stream = PerfStream.samples(sampler.events(),
                    PerfBufferOptions.builder().latencyBound(Duration.ofSeconds(10)).build());
            StepVerifier.create(stream, 0)
                    .then(() -> {
                        GetpgidSampler.trigger(100);
                        assertTrue(stream.complete());
                    })
                    .thenRequest(Long.MAX_VALUE)
                    .expectNextCount(100)
                    .expectComplete()
                    .verify(Duration.ofSeconds(10));
        }
    }

    @Test
    void anOverwritableRingKeepsTheNewestSamples() {
        int cpu = CpuSet.online().toArray()[0];
        List<Long> newestFirst = new ArrayList<>();
        RecordHandler collect = new RecordHandler() {
            @Override
            public void onSample(int c, ByteBuffer data, int offset, int length) {
                newestFirst.add(data.getLong(offset));
            }

            @Override
            public void onLost(int c, long count) {
                throw new AssertionError("an overwritable ring loses nothing");
            }
        };
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("recorder", 64).attachWithLink();
             PerfBuffer buffer = PerfBuffer.open(sampler.events(), PerfBufferOptions.builder().pages(1).overwritable(true).build(), collect)) {
            CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(1000));
            int n = buffer.snapshot();
            assertTrue(n > 10 && n < 1000, "a one-page ring holds some of 1000 samples, got " + n);
            for (int i = 0; i < newestFirst.size(); i++) {
                assertEquals(999 - i, newestFirst.get(i), "newest first, without gaps");
            }
        }
    }

    @Test
    void specsRefuseWhatTheKernelCannotDo() {
        try (BpfMap hash = BpfMap.create(MapCreateAttr.of(MapType.HASH, "not_perf", 4, 4, 8))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PerfBuffer.open(hash, PerfBufferOptions.defaults(), new Collect()));
            assertTrue(e.getMessage().contains("PERF_EVENT_ARRAY"), e.getMessage());
            StepVerifier.create(PerfStream.events(hash))
                    .expectErrorSatisfies(f -> assertTrue(f.getMessage().contains("PERF_EVENT_ARRAY"), f.getMessage()))
                    .verify(Duration.ofSeconds(5));
        }
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("refuse", 16)) {
            PerfBufferOptions options = PerfBufferOptions.builder()
                    .raw(PerfEventAttr.bpfOutput(1), new int[] {0}, new int[] {CpuSet.possible().span() + 5}).build();
            IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
                    () -> PerfBuffer.open(sampler.events(), options, new Collect()));
            assertTrue(key.getMessage().contains("max_entries"), key.getMessage());
            IllegalArgumentException overwritable = assertThrows(IllegalArgumentException.class,
                    () -> PerfStream.events(sampler.events(), PerfBufferOptions.builder().overwritable(true).build()));
            assertTrue(overwritable.getMessage().contains("snapshot"), overwritable.getMessage());
        }
    }

    private static PerfBufferOptions wakeupEvery(int samples) {
        return PerfBufferOptions.builder().wakeup(Wakeup.events(samples)).build();
    }

    /** Waits until the poller has applied a pause or resume. */
    static void awaitPaused(PerfStream<?> stream, boolean paused) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (stream.isPaused() != paused) {
            assertTrue(System.nanoTime() < deadline, "the poller applies " + (paused ? "pause" : "resume"));
            Thread.onSpinWait();
        }
    }
}
