package io.reactorbpf.perf;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;

import static io.reactorbpf.perf.FakeRing.delivered;
import static io.reactorbpf.perf.FakeRing.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whatever the kernel writes and however demand arrives, the reader hands out exactly what was written. */
class PerfRingPropertyTest {

    /** One record the test writes: a sample of {@code length} bytes, or a LOST record when {@code lost > 0}. */
    record Write(int length, long lost) {
    }

    @Property(tries = 300)
    void anySequenceDrainedWithAnyDemandComesOutExactlyAsWritten(
            @ForAll("writes") List<Write> writes,
            @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 9) Integer> demands,
            @ForAll("dataSizes") int dataSize,
            @ForAll long start) {
        FakeRing fake = FakeRing.withDataSize(dataSize).at(start & ~7L);
        PerfRing ring = fake.reader(7);
        RecordLog log = new RecordLog();
        List<RecordLog.Event> expected = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        int written = 0;
        for (int pass = 0; written < writes.size() || !ring.isEmpty(); pass++) {
            while (written < writes.size() && write(fake, writes.get(written), written, expected)) {
                ends.add(fake.head());
                written++;
            }
            int demand = demands.get(pass % demands.size());
            int before = log.events().size();

            int handed = ring.drain(demand, log);

            assertEquals(Math.min(demand, ends.size() - before), handed);
            assertEquals(expected.subList(0, log.events().size()), log.events());
            assertEquals(ends.get(log.events().size() - 1), fake.tail(), "data_tail just past the last record");
        }
        assertEquals(expected, log.events());
        assertTrue(ring.isEmpty());
    }

    @Provide
    Arbitrary<List<Write>> writes() {
        Arbitrary<Write> sample = Arbitraries.integers().between(0, 116).map(length -> new Write(length, 0));
        Arbitrary<Write> lost = Arbitraries.longs().between(1, Long.MAX_VALUE).map(count -> new Write(0, count));
        return Arbitraries.frequencyOf(
                Tuple.of(6, sample), Tuple.of(1, lost)).list().ofMaxSize(200);
    }

    @Provide
    Arbitrary<Integer> dataSizes() {
        return Arbitraries.of(128, 256, 1024, 4096);
    }

    private static boolean write(FakeRing fake, Write write, int seed, List<RecordLog.Event> expected) {
        if (write.lost() > 0) {
            if (!fake.lost(seed, write.lost())) {
                return false;
            }
            expected.add(new RecordLog.Lost(7, write.lost()));
            return true;
        }
        byte[] data = payload(write.length(), seed);
        if (!fake.sample(data)) {
            return false;
        }
        expected.add(RecordLog.sample(7, delivered(data)));
        return true;
    }
}
