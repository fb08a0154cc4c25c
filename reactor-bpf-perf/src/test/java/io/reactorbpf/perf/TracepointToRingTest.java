package io.reactorbpf.perf;

import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.sys.CpuSet;
import io.reactorbpf.core.sys.FileDescriptor;
import io.reactorbpf.core.sys.Kernel;
import io.reactorbpf.core.internal.sys.MappedMemory;
import io.reactorbpf.core.internal.sys.NativeBuffer;
import io.reactorbpf.core.internal.sys.PerfEvent;
import io.reactorbpf.core.sys.PerfEventAttr;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole path without the ELF loader or the PerfBuffer: an assembled tracepoint program writes numbered
 * samples, raw per-CPU rings opened by hand receive them.
 */
@KernelTest
class TracepointToRingTest {

    private static final int CALLS = 1000;

    @Test
    void everyGetpgidCallArrivesOnceThroughALinkAttachment() {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("proof_link", 16).attachWithLink()) {
            assertEveryCallArrivesOnce(sampler);
        }
    }

    @Test
    void everyGetpgidCallArrivesOnceThroughAnIoctlAttachment() {
        try (GetpgidSampler sampler = GetpgidSampler.forThisProcess("proof_ioctl", 16).attachWithIoctl()) {
            assertEveryCallArrivesOnce(sampler);
        }
    }

    private static void assertEveryCallArrivesOnce(GetpgidSampler sampler) {
        int page = Kernel.pageSize();
        int[] cpus = CpuSet.online().toArray();
        List<FileDescriptor> events = new ArrayList<>();
        List<MappedMemory> mappings = new ArrayList<>();
        List<PerfRing> rings = new ArrayList<>();
        try {
            for (int cpu : cpus) {
                FileDescriptor event = PerfEvent.open(PerfEventAttr.bpfOutput(1), -1, cpu, -1);
                events.add(event);
                MappedMemory mapping = MappedMemory.map(event, 65L * page, MappedMemory.PROT_READ | MappedMemory.PROT_WRITE, 0);
                mappings.add(mapping);
                rings.add(new PerfRing(mapping.buffer(), cpu, page));
                PerfEvent.enable(event);
                NativeBuffer key = NativeBuffer.allocate(4);
                NativeBuffer value = NativeBuffer.allocate(4);
                key.buffer().putInt(0, cpu);
                value.buffer().putInt(0, event.fd());
                Bpf.mapUpdateElem(sampler.events().fd(), key, value, Bpf.ANY);
            }

            GetpgidSampler.trigger(CALLS);

            BitSet seen = new BitSet();
            long[] lost = new long[1];
            int[] duplicates = new int[1];
            for (PerfRing ring : rings) {
                ring.drain(Integer.MAX_VALUE, new RecordHandler() {
                    @Override
                    public void onSample(int cpu, ByteBuffer data, int offset, int length) {
                        // 16 bytes written, plus the 4 pad bytes that keep the 8 + 4 + size record 8-byte aligned
                        assertEquals(20, length, "raw sample size");
                        int seq = (int) data.getLong(offset);
                        if (seen.get(seq)) {
                            duplicates[0]++;
                        }
                        seen.set(seq);
                    }

                    @Override
                    public void onLost(int cpu, long count) {
                        lost[0] += count;
                    }
                });
            }
            assertEquals(0, lost[0], "lost samples");
            assertEquals(0, duplicates[0], "duplicate sequence numbers");
            assertEquals(CALLS, sampler.produced(), "samples the program produced");
            assertEquals(CALLS, seen.cardinality(), "distinct samples received");
            assertEquals(CALLS, seen.nextClearBit(0), "sequence numbers 0.." + (CALLS - 1));
        } finally {
            mappings.forEach(MappedMemory::close);
            events.forEach(FileDescriptor::close);
        }
    }
}
