package io.reactorbpf.perf;

import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.testing.CpuAffinity;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.core.testing.KernelTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rings follow CPU hotplug: a CPU taken offline has its ring drained and closed, a CPU brought online gets a
 * ring. Toggles the highest online CPU through /sys/devices/system/cpu/cpuN/online and always restores it.
 */
@KernelTest
class CpuHotplugTest {

    private int cpu;
    private Path online;

    @BeforeEach
    void pickCpu() {
        int[] cpus = CpuSet.online().toArray();
        KernelTests.require(cpus.length >= 2, "CPU hotplug needs two online CPUs, this machine has " + cpus.length);
        cpu = cpus[cpus.length - 1];
        online = Path.of("/sys/devices/system/cpu/cpu" + cpu + "/online");
        KernelTests.require(Files.isWritable(online), online + " is not writable: this machine does not allow CPU hotplug");
    }

    @AfterEach
    void restore() throws IOException {
        setOnline(true);
    }

    @Test
    void theBlockingBufferDrainsAnOfflineCpusRingAndOpensOneWhenItReturns() throws IOException {
        Counting count = new Counting();
        AtomicLong samples = count.samples;
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("hotplug", 16).attachWithLink();
             PerfBuffer buffer = PerfBuffer.open(sampler.events(), PerfBufferOptions.defaults(), count)) {
            int rings = buffer.bufferCount();
            CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(50));
            setOnline(false);
            assertTrue(buffer.followCpus());
            assertEquals(rings - 1, buffer.bufferCount());
            assertEquals(50, samples.get(), "the offline CPU's ring was drained before it closed");
            assertFalse(buffer.followCpus(), "nothing changed since");

            setOnline(true);
            assertTrue(buffer.followCpus());
            assertEquals(rings, buffer.bufferCount());
            CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(30));
            buffer.consume();
            assertEquals(80, samples.get());
        }
    }

    @Test
    void theFluxFollowsACpuThatGoesAwayAndComesBack() throws Exception {
        AtomicLong delivered = new AtomicLong();
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("hotflux", 16).attachWithLink()) {
            Disposable d = PerfStream.samples(sampler.events(), PerfBufferOptions.defaults()).subscribe(s -> delivered.incrementAndGet(), e -> e.printStackTrace());
            try {
                CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(20));
                setOnline(false);
                await(() -> delivered.get() == 20, "samples written before the CPU went offline");
                setOnline(true);
                // the poller looks at the online CPUs once a second; produce until the new ring carries samples
                // until the poller sees it (at most a second), the CPU has no ring and the kernel drops its samples
                await(() -> {
                    CpuAffinity.runOn(cpu, () -> GetpgidSampler.trigger(1));
                    return delivered.get() > 20;
                }, "samples from the CPU after it came back");
            } finally {
                d.dispose();
            }
        }
    }

    @Test
    void aPausedBufferKeepsEverySlotClearWhileACpuGoesAndComesBackAndResumeTouchesOnlyOpenRings() throws IOException {
        Counting count = new Counting();
        int[] cpus = CpuSet.online().toArray();
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("hotpause", 16).attachWithLink();
             PerfBuffer buffer = PerfBuffer.open(sampler.events(), PerfBufferOptions.defaults(), count)) {
            int rings = buffer.bufferCount();
            buffer.pause();
            assertTrue(buffer.isPaused());
            setOnline(false);
            assertTrue(buffer.followCpus());
            buffer.resume();
            assertEquals(rings - 1, buffer.bufferCount(), "resume while the CPU is away sets the open rings' slots");
            buffer.pause();
            setOnline(true);
            assertTrue(buffer.followCpus());
            assertEquals(rings, buffer.bufferCount());
            for (int c : cpus) {
                CpuAffinity.runOn(c, () -> GetpgidSampler.trigger(10));
            }
            assertEquals(0, buffer.consume(), "every slot is clear while paused, the new CPU's too");
            assertEquals(0, buffer.lost());
            buffer.resume();
            for (int c : cpus) {
                CpuAffinity.runOn(c, () -> GetpgidSampler.trigger(10));
            }
            assertEquals(10 * cpus.length, buffer.consume(), "resume restored every CPU's slot");
            assertEquals(20L * cpus.length, sampler.produced());
        }
    }

    @Test
    void aPausedStreamStaysPausedAcrossHotplugAndResumeRestoresEveryCpu() throws Exception {
        AtomicLong delivered = new AtomicLong();
        int[] cpus = CpuSet.online().toArray();
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("hotpstream", 16).attachWithLink()) {
            PerfStream<PerfEvent.Sample> stream = PerfStream.samples(sampler.events(), PerfBufferOptions.defaults());
            Disposable d = stream.subscribe(s -> delivered.incrementAndGet());
            try {
                int rings = stream.rings().orElseThrow().rings().size();
                stream.pause();
                await(stream::isPaused, "the poller applied the pause");
                setOnline(false);
                await(() -> stream.rings().orElseThrow().rings().size() == rings - 1, "the CPU's ring closed");
                setOnline(true);
                await(() -> stream.rings().orElseThrow().rings().size() == rings, "the CPU has a ring again");
                assertTrue(stream.isPaused());
                for (int c : cpus) {
                    CpuAffinity.runOn(c, () -> GetpgidSampler.trigger(10));
                }
                Thread.sleep(50);
                assertEquals(0, delivered.get(), "a paused stream's slots are all clear, the new ring's too");
                stream.resume();
                await(() -> !stream.isPaused(), "the poller applied the resume");
                for (int c : cpus) {
                    CpuAffinity.runOn(c, () -> GetpgidSampler.trigger(10));
                }
                await(() -> delivered.get() == 10L * cpus.length, "samples from every CPU after resume");
                assertEquals(0, stream.rings().orElseThrow().lost());
            } finally {
                d.dispose();
            }
        }
    }

    /** Counts samples; nothing may be lost in these tests. */
    private static final class Counting implements RecordHandler {
        final AtomicLong samples = new AtomicLong();

        @Override
        public void onSample(int c, ByteBuffer data, int offset, int length) {
            samples.incrementAndGet();
        }

        @Override
        public void onLost(int c, long lost) {
            throw new AssertionError("nothing is lost here");
        }
    }

    private void setOnline(boolean on) throws IOException {
        Files.writeString(online, on ? "1" : "0");
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }
}
