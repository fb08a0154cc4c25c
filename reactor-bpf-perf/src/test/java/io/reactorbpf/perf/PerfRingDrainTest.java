package io.reactorbpf.perf;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.reactorbpf.perf.FakeRing.delivered;
import static io.reactorbpf.perf.FakeRing.payload;
import static io.reactorbpf.perf.FakeRing.sampleRecordSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What one drain pass hands out, and where it leaves data_tail. */
class PerfRingDrainTest {

    private static final int DATA_SIZE = 4096;

    private final FakeRing fake = FakeRing.withDataSize(DATA_SIZE);
    private final PerfRing ring = fake.reader(3);
    private final RecordLog log = new RecordLog();

    @Test
    void anEmptyRingHandsOutNothingAndKeepsItsTail() {
        fake.at(40);

        assertTrue(ring.isEmpty());
        assertEquals(0, ring.drain(10, log));
        assertEquals(List.of(), log.events());
        assertEquals(40, fake.tail());
    }

    @Test
    void isEmptyTurnsFalseOnceTheKernelAdvancesDataHead() {
        fake.sample(payload(5, 0));

        assertFalse(ring.isEmpty());
        assertEquals(fake.head(), ring.dataHead());
        assertEquals(0, ring.dataTail());
    }

    @Test
    void aSampleDeliversExactlyItsRawSizeIncludingTheKernelsZeroPadding() {
        for (int length = 0; length <= 16; length++) {
            byte[] data = payload(length, length);
            fake.sample(data);

            ring.drain(1, log);

            String hex = ((RecordLog.Sample) log.events().get(length)).hex();
            int rawSize = hex.length() / 2;
            assertTrue(rawSize >= length && rawSize - length < 8, "at most 7 pad bytes after " + length);
            assertEquals(0, (12 + rawSize) % 8, "the record stays 8-byte aligned");
            assertEquals(RecordLog.sample(3, java.util.Arrays.copyOf(data, rawSize)).hex(), hex);
        }
    }

    @Test
    void aLostRecordDeliversItsLostCountAndCountsIt() {
        fake.lost(1, 5);
        fake.lost(2, 7);

        ring.drain(10, log);

        assertEquals(List.of(new RecordLog.Lost(3, 5), new RecordLog.Lost(3, 7)), log.events());
        assertEquals(2, ring.counters().lostRecords());
        assertEquals(12, ring.counters().lost());
    }

    @Test
    void manyRecordsComeOutInOnePassInRingOrder() {
        List<RecordLog.Event> written = new ArrayList<>();
        for (int i = 0; fake.free() >= 64; i++) {
            byte[] data = payload(i % 50, i);
            fake.sample(data);
            written.add(RecordLog.sample(3, delivered(data)));
        }

        assertEquals(written.size(), ring.drain(Integer.MAX_VALUE, log));

        assertEquals(written, log.events());
        assertEquals(fake.head(), fake.tail());
        assertTrue(ring.isEmpty());
    }

    @Test
    void otherAndUnknownRecordTypesAreSkippedBySize() {
        byte[] before = payload(10, 1);
        byte[] after = payload(30, 2);
        fake.sample(before);
        fake.record(PerfRecordType.THROTTLE, 0, new byte[24]);
        fake.record(PerfRecordType.UNTHROTTLE, 0, new byte[24]);
        fake.record(9999, 0x1234, payload(100, 3));
        fake.sample(after);
        List<RecordLog.Event> samplesOnly = new ArrayList<>();
        RecordHandler ignoringOthers = new RecordHandler() {
            @Override
            public void onSample(int cpu, ByteBuffer data, int offset, int length) {
                samplesOnly.add(new RecordLog.Sample(cpu, RecordLog.hex(data, offset, length)));
            }

            @Override
            public void onLost(int cpu, long lost) {
                samplesOnly.add(new RecordLog.Lost(cpu, lost));
            }
        };

        assertEquals(5, ring.drain(Integer.MAX_VALUE, ignoringOthers));

        assertEquals(List.of(RecordLog.sample(3, delivered(before)), RecordLog.sample(3, delivered(after))),
                samplesOnly);
        assertEquals(fake.head(), fake.tail());
        assertEquals(3, ring.counters().otherRecords());
    }

    @Test
    void otherRecordsReachOnOtherWholeWithTypeAndMisc() {
        byte[] body = payload(100, 3);
        fake.record(9999, 0x1234, body);

        ring.drain(1, log);

        assertEquals(List.of(new RecordLog.Other(3, 9999, 0x1234, RecordLog.record(9999, 0x1234, 112, body))),
                log.events());
    }

    @Test
    void drainRawHandsOutEveryRecordWithItsHeader() {
        byte[] data = payload(9, 1);
        fake.sample(data);
        fake.lost(4, 2);
        ByteBuffer lostBody = ByteBuffer.allocate(16).order(java.nio.ByteOrder.nativeOrder()).putLong(0, 4)
                .putLong(8, 2);
        ByteBuffer sampleBody = ByteBuffer.allocate(4 + 12).order(java.nio.ByteOrder.nativeOrder()).putInt(0, 12)
                .put(4, delivered(data));

        assertEquals(2, ring.drainRaw(10, log));

        assertEquals(List.of(
                new RecordLog.Other(3, PerfRecordType.SAMPLE, 0, RecordLog.record(PerfRecordType.SAMPLE, 0, 24,
                        sampleBody.array())),
                new RecordLog.Other(3, PerfRecordType.LOST, 0, RecordLog.record(PerfRecordType.LOST, 0, 24,
                        lostBody.array()))), log.events());
        assertEquals(1, ring.counters().samples());
        assertEquals(2, ring.counters().lost());
    }

    @Test
    void limitedDemandConsumesExactlyThatManyRecordsAndLeavesTheRest() {
        long start = DATA_SIZE - 100 & ~7;
        fake.at(start);
        List<RecordLog.Event> written = new ArrayList<>();
        long[] ends = new long[5];
        long end = start;
        for (int i = 0; i < 5; i++) {
            byte[] data = payload(20 + i * 8, i);
            fake.sample(data);
            written.add(RecordLog.sample(3, delivered(data)));
            end += sampleRecordSize(data.length);
            ends[i] = end;
        }

        assertEquals(1, ring.drain(1, log));
        assertEquals(written.subList(0, 1), log.events());
        assertEquals(ends[0], fake.tail());

        assertEquals(3, ring.drain(3, log));
        assertEquals(written.subList(0, 4), log.events());
        assertEquals(ends[3], fake.tail());

        assertEquals(1, ring.drain(3, log));
        assertEquals(written, log.events());
        assertEquals(ends[4], fake.tail());
    }

    @Test
    void zeroDemandTouchesNothing() {
        fake.sample(payload(8, 0));

        assertEquals(0, ring.drain(0, log));

        assertEquals(List.of(), log.events());
        assertEquals(0, fake.tail());
    }

    @Test
    void negativeDemandIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ring.drain(-1, log));
    }

    @Test
    void dataTailIsPublishedOncePerPassAfterEveryRecordWasHandedOut() {
        fake.at(64);
        for (int i = 0; i < 4; i++) {
            fake.sample(payload(12, i));
        }
        List<Long> tailsSeenDuringPass = new ArrayList<>();
        RecordHandler watching = new RecordLog() {
            @Override
            public void onSample(int cpu, ByteBuffer data, int offset, int length) {
                tailsSeenDuringPass.add(fake.tail());
            }
        };

        ring.drain(Integer.MAX_VALUE, watching);

        assertEquals(List.of(64L, 64L, 64L, 64L), tailsSeenDuringPass);
        assertEquals(fake.head(), fake.tail());
    }

    @Test
    void dataHeadIsReadOncePerPassSoRecordsWrittenDuringAPassWaitForTheNext() {
        byte[] first = payload(8, 1);
        byte[] second = payload(8, 2);
        byte[] lateArrival = payload(8, 3);
        fake.sample(first);
        fake.sample(second);
        RecordLog writingWhileDrained = new RecordLog() {
            @Override
            public void onSample(int cpu, ByteBuffer data, int offset, int length) {
                super.onSample(cpu, data, offset, length);
                if (events().size() == 1) {
                    fake.sample(lateArrival);
                }
            }
        };

        assertEquals(2, ring.drain(Integer.MAX_VALUE, writingWhileDrained));
        assertEquals(List.of(RecordLog.sample(3, delivered(first)), RecordLog.sample(3, delivered(second))),
                writingWhileDrained.events());

        assertEquals(1, ring.drain(Integer.MAX_VALUE, writingWhileDrained));
        assertEquals(RecordLog.sample(3, delivered(lateArrival)), writingWhileDrained.events().get(2));
    }

    @Test
    void aHandlerThatThrowsConsumesItsRecordAndLeavesTheRest() {
        fake.sample(payload(8, 1));
        long afterFirst = fake.head();
        fake.sample(payload(8, 2));
        RecordHandler failing = new RecordLog() {
            @Override
            public void onSample(int cpu, ByteBuffer data, int offset, int length) {
                throw new IllegalStateException("downstream failed");
            }
        };

        assertThrows(IllegalStateException.class, () -> ring.drain(Integer.MAX_VALUE, failing));

        assertEquals(afterFirst, fake.tail());
        assertEquals(1, ring.counters().samples());
        assertEquals(1, ring.drain(Integer.MAX_VALUE, log));
    }

    @Test
    void aContiguousSampleIsAReadOnlyViewOfTheRingMemoryItself() {
        fake.at(256).sample(payload(20, 1));
        List<String> seen = new ArrayList<>();

        ring.drain(1, new RecordLog() {
            @Override
            public void onSample(int cpu, ByteBuffer data, int offset, int length) {
                seen.add(data.isReadOnly() + " " + data.capacity() + " " + offset);
            }
        });

        assertEquals(List.of("true " + fake.memory().capacity() + " " + (FakeRing.PAGE_SIZE + 256 + 12)), seen);
    }

    @Test
    void countersTotalWhatWasHandedOutAcrossPasses() {
        fake.sample(payload(3, 1));
        fake.lost(1, 10);
        fake.record(PerfRecordType.THROTTLE, 0, new byte[24]);
        fake.sample(payload(4, 2));
        fake.lost(1, 5);

        ring.drain(2, log);
        ring.drain(10, log);

        PerfRingCounters counters = ring.counters();
        assertEquals(2, counters.samples());
        assertEquals(2, counters.lostRecords());
        assertEquals(15, counters.lost());
        assertEquals(1, counters.otherRecords());
    }

    @Test
    void aDeclinedRecordOfAnyTypeIsNeitherConsumedNorCounted() {
        fake.sample(payload(3, 1));
        fake.lost(1, 10);
        fake.record(PerfRecordType.THROTTLE, 0, new byte[24]);
        PerfRingCounters counters = ring.counters();

        assertEquals(0, ring.drain(0, log));
        assertEquals(1, ring.drain(1, log));
        assertEquals(List.of(1L, 0L, 0L, 0L), List.of(counters.samples(), counters.lostRecords(), counters.lost(),
                counters.otherRecords()));
        assertEquals(1, ring.drain(1, log));
        assertEquals(List.of(1L, 1L, 10L, 0L), List.of(counters.samples(), counters.lostRecords(), counters.lost(),
                counters.otherRecords()));
        assertEquals(1, ring.drain(5, log));
        assertEquals(List.of(1L, 1L, 10L, 1L), List.of(counters.samples(), counters.lostRecords(), counters.lost(),
                counters.otherRecords()));
        assertEquals(fake.head(), fake.tail());
    }

    @Test
    void theBytesDecoderCopiesExactlyTheSample() {
        byte[] data = payload(13, 4);
        fake.at(DATA_SIZE - 8).sample(data);
        List<byte[]> decoded = new ArrayList<>();

        ring.drain(1, new RecordLog() {
            @Override
            public void onSample(int cpu, ByteBuffer buffer, int offset, int length) {
                decoded.add(RecordDecoder.bytes().decode(cpu, buffer, offset, length));
            }
        });

        assertEquals(RecordLog.sample(3, delivered(data)), RecordLog.sample(3, decoded.get(0)));
    }
}
