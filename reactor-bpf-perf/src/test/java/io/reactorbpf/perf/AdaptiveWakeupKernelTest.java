package io.reactorbpf.perf;

import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.testing.CpuAffinity;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Wakeup#adaptive()} on real perf rings: no wakeups when idle, one per sample when slow, batches when fast. */
@KernelTest
class AdaptiveWakeupKernelTest {

    private static final PerfBufferOptions ADAPTIVE = PerfBufferOptions.builder().wakeup(Wakeup.adaptive()).build();

    @Test
    void anIdleStreamsPollerDoesNotWakeWhereTheTimedPeekWakesItEachMillisecond() throws Exception {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("idle_adapt", 16).attachWithLink()) {
            long adaptive = switchesWhileIdle(PerfStream.samples(sampler.events(), ADAPTIVE), "perf-idle_adapt");
            long peeking = switchesWhileIdle(PerfStream.samples(sampler.events(),
                    PerfBufferOptions.builder().wakeup(Wakeup.quarterRing()).build()), "perf-idle_adapt");
            assertTrue(adaptive <= 2, adaptive + " wakeups in a second idle");
            assertTrue(peeking >= 200, "the measurement sees the timed peeks: " + peeking + " in a second");
        }
    }

    @Test
    void aLoneSampleArrivesAtOnceWhateverTheLatencyBound() {
        PerfBufferOptions slowPeeks = ADAPTIVE.toBuilder().latencyBound(Duration.ofSeconds(30)).build();
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("lone_adapt", 16).attachWithLink()) {
            StepVerifier.create(PerfStream.samples(sampler.events(), slowPeeks).take(1))
                    .then(() -> GetpgidSampler.trigger(1))
                    .expectNextCount(1)
                    .expectComplete()
                    .verify(Duration.ofSeconds(5));
        }
    }

    @Test
    void aBurstSwitchesItsCpuToBatchedWakeupsAndAQuietSpellBackWithEverySampleReadOnce() throws Exception {
        int cpu = CpuSet.online().toArray()[0];
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("burst_adapt", 16).attachWithLink();
             RingSet set = RingSet.open(sampler.events(), ADAPTIVE, false)) {
            BitSet seen = new BitSet();
            RecordVisitor collect = (c, type, misc, record, offset, length) -> {
                if (type == PerfRecordType.SAMPLE) {
                    seen.set((int) record.getLong(offset + PerfEventHeader.SAMPLE_DATA));
                }
                return true;
            };
            int index = indexOf(set, cpu);
            assertFalse(set.ring(index).batched(), "a ring starts on single wakeups");
            assertEquals(-1, set.peekMillis(), "and needs no timed peek");
            assertFalse(set.peeking(), "so the peek timer is not armed");

            CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(5_000));
            set.readAll(collect);
            assertTrue(set.ring(index).batched(), "5,000 samples at once switch the CPU to batched wakeups");
            assertEquals(-1, set.peekMillis(), "batched, the reader still waits with no timeout");
            assertTrue(set.peeking(), "since the peek timer wakes it");

            CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(3));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (true) {
                // as a poller does before it waits: arm or disarm the peek timer, and get the wait's timeout
                int timeout = set.peekMillis();
                if (!set.ring(index).batched() && !set.peeking()) {
                    break;
                }
                assertTrue(System.nanoTime() < deadline, "a quiet spell switches the CPU back");
                assertEquals(-1, timeout, "the reader waits with no timeout; the peek timer ends the wait");
                set.await(timeout, collect);
            }
            assertEquals(5_003, seen.cardinality(), "the peeks read the 3 samples below the watermark");
            CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(2));
            while (seen.cardinality() < 5_005) {
                assertTrue(System.nanoTime() < deadline, "the samples after the switch back wake the reader");
                set.await(1_000, collect);
            }
            assertEquals(5_005, seen.cardinality());
            assertEquals(5_005, seen.nextClearBit(0), "every sequence number 0..5004 once");
            assertEquals(sampler.produced(), seen.cardinality());
        }
    }

    @Test
    void aCpusSamplesKeepTheirOrderWhenItsSlotWouldMoveBackToARingDemandLeftRecordsIn() throws Exception {
        int cpu = CpuSet.online().toArray()[0];
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("order_adapt", 16).attachWithLink();
             RingSet set = RingSet.open(sampler.events(), ADAPTIVE, false)) {
            int index = indexOf(set, cpu);
            List<Long> order = new ArrayList<>();
            RecordVisitor collect = (c, type, misc, record, offset, length) -> {
                if (type == PerfRecordType.SAMPLE) {
                    order.add(record.getLong(offset + PerfEventHeader.SAMPLE_DATA));
                }
                return true;
            };
            RecordVisitor none = (c, type, misc, record, offset, length) -> false;

            CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(2_000));
            set.readAll(RecordVisitor.limit(500, collect));
            assertTrue(set.ring(index).batched(), "500 samples read at once switch the CPU to batched wakeups");
            // the single ring keeps 1,500 records that demand did not take; new ones go to the batched ring
            CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(100));
            Thread.sleep(2 * AdaptiveWakeup.WINDOW_NANOS / 1_000_000);
            // a pass that takes nothing measures a rate of 0: the CPU would go back to the single ring
            set.readAll(none);
            CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(100));
            set.readAll(collect);
            set.readAll(collect);

            assertEquals(2_200, order.size());
            for (int i = 1; i < order.size(); i++) {
                assertTrue(order.get(i - 1) < order.get(i), "sample " + order.get(i) + " after " + order.get(i - 1));
            }
        }
    }

    @Test
    void aRingsLossesAreReportedBeforeItsSlotMovesAwayFromIt() {
        int cpu = CpuSet.online().toArray()[0];
        PerfBufferOptions twoPages = ADAPTIVE.toBuilder().pages(2).build();
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("lost_adapt", 16).attachWithLink();
             RingSet set = RingSet.open(sampler.events(), twoPages, false)) {
            long[] samplesAndLost = new long[2];
            RecordVisitor count = RecordVisitor.decoding(new RecordHandler() {
                @Override
                public void onSample(int c, ByteBuffer data, int offset, int length) {
                    samplesAndLost[0]++;
                }

                @Override
                public void onLost(int c, long lost) {
                    samplesAndLost[1] += lost;
                }
            });
            // two pages hold about 256 of these records, enough for the rate to say batch: the rest do not fit,
            // and the kernel owes the ring a LOST record
            CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(600));
            set.readAll(count);
            // the rate says batch, but the LOST record comes only before this ring's next sample
            CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(1));
            set.readAll(count);
            CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(1));
            set.readAll(count);
            assertTrue(samplesAndLost[1] > 0, "the first burst overflowed the ring");
            assertEquals(sampler.produced(), samplesAndLost[0] + samplesAndLost[1],
                    "every sample delivered or reported lost: " + samplesAndLost[0] + " + " + samplesAndLost[1]);
        }
    }

    @Test
    void rampsOfBurstsAndTricklesDeliverEverySampleOnce() {
        int rounds = 6;
        int burst = 3_000;
        int trickle = 30;
        int total = rounds * (burst + trickle);
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("ramp_adapt", 16).attachWithLink()) {
            BitSet seen = new BitSet();
            AtomicLong lost = new AtomicLong();
            StepVerifier.create(PerfStream.events(sampler.events(), ADAPTIVE)
                            .doOnNext(e -> {
                                if (e instanceof PerfEvent.Sample s) {
                                    seen.set((int) ByteBuffer.wrap(s.data()).order(ByteOrder.nativeOrder()).getLong(0));
                                } else if (e instanceof PerfEvent.Lost l) {
                                    lost.addAndGet(l.count());
                                }
                            })
                            .takeUntil(e -> seen.cardinality() + lost.get() >= total))
                    .then(() -> new Thread(() -> {
                        for (int r = 0; r < rounds; r++) {
                            GetpgidSampler.trigger(burst);
                            for (int i = 0; i < trickle; i++) {
                                GetpgidSampler.trigger(1);
                                sleep(3);
                            }
                        }
                    }, "ramp").start())
                    .thenConsumeWhile(e -> true)
                    .expectComplete()
                    .verify(Duration.ofSeconds(60));
            assertEquals(0, lost.get(), "the rings are big enough for these bursts");
            assertEquals(total, seen.cardinality());
            assertEquals(total, seen.nextClearBit(0), "every sequence number once");
        }
    }

    private static int indexOf(RingSet set, int cpu) {
        for (int i = 0; i < set.count(); i++) {
            if (set.ring(i).cpu == cpu) {
                return i;
            }
        }
        throw new AssertionError("no ring for CPU " + cpu);
    }

    /** Context switches of the poller thread named {@code thread} over one idle second of a live subscription. */
    private static long switchesWhileIdle(PerfStream<?> stream, String thread) throws Exception {
        Disposable d = stream.subscribe();
        try {
            Thread.sleep(300);
            Path task = pollerTask(thread);
            long before = switches(task);
            Thread.sleep(1_000);
            return switches(task) - before;
        } finally {
            d.dispose();
            while (stream.isLive()) {
                Thread.sleep(5);
            }
        }
    }

    private static Path pollerTask(String thread) throws IOException {
        String comm = thread.length() > 15 ? thread.substring(0, 15) : thread;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.filter(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip().equals(comm);
                } catch (IOException e) {
                    return false;
                }
            }).findFirst().orElseThrow(() -> new AssertionError("no thread " + comm));
        }
    }

    private static long switches(Path task) throws IOException {
        long n = 0;
        for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                n += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return n;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
