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
        AtomicLong samples = new AtomicLong();
        RecordHandler count = new RecordHandler() {
            @Override
            public void onSample(int c, ByteBuffer data, int offset, int length) {
                samples.incrementAndGet();
            }

            @Override
            public void onLost(int c, long lost) {
                throw new AssertionError("nothing is lost here");
            }
        };
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("hotplug", 16).attachWithLink();
             PerfBuffer buffer = PerfBufferSpec.of(sampler.events()).open(count)) {
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
            Disposable d = PerfBufferSpec.of(sampler.events()).samples().subscribe(s -> delivered.incrementAndGet(), e -> e.printStackTrace());
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
