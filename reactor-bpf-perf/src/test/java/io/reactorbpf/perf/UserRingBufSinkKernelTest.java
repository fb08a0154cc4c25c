package io.reactorbpf.perf;

import io.reactorbpf.core.map.BpfMap;
import io.reactorbpf.core.object.BpfObject;
import io.reactorbpf.core.object.ObjectSpec;
import io.reactorbpf.core.testing.GetpgidSampler;
import io.reactorbpf.core.testing.KernelTest;
import io.reactorbpf.core.testing.OpenDescriptors;
import io.reactorbpf.core.testing.RingBufLostObject;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link UserRingBufSink} against the committed user_ringbuf_drain object: a tracepoint program that drains the
 * 4 KiB user ring buffer {@code requests} on each getpgid() of this process and checks each record's u64 is the
 * next of 0, 1, 2, ...
 */
@KernelTest
class UserRingBufSinkKernelTest {

    private static final RecordEncoder<Long> U64 = (value, data, offset, capacity) -> {
        data.putLong(offset, value);
        return Long.BYTES;
    };
    /** 8-byte header + 8-byte value: records that fit in the 4 KiB ring. */
    private static final int SLOTS = 4096 / 16;

    private static BpfObject load() {
        ObjectSpec spec = BpfObject.open(bytes(), "user_ringbuf_drain");
        spec.variable("target_pid").set(ProcessHandle.current().pid());
        BpfObject object = spec.load();
        object.attachAll();
        return object;
    }

    private static byte[] bytes() {
        try (InputStream in = UserRingBufSinkKernelTest.class.getResourceAsStream("/bpf/user_ringbuf_drain.bpf.o")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long global(BpfObject object, String name) {
        return object.variable(name).getLong();
    }

    @Test
    void everyValueReachesTheProgramOnceAndInOrder() {
        try (BpfObject object = load()) {
            UserRingBufSink<Long> sink = UserRingBufSink.of(object.map("requests"), Long.BYTES, U64);
            int n = 20_000;
            Flux.range(0, n).map(Long::valueOf).subscribe(sink);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (global(object, "drained") < n && System.nanoTime() < deadline) {
                GetpgidSampler.trigger(1);
            }
            sink.done().block(Duration.ofSeconds(5));

            assertEquals(n, global(object, "drained"));
            assertEquals(0, global(object, "out_of_order"));
            assertEquals((long) n * (n - 1) / 2, global(object, "sum"));
            assertEquals(0, global(object, "short_records"));
            assertEquals(0, global(object, "last_error"));
            assertEquals(n, sink.written());
        }
    }

    @Test
    void demandIsTheRoomTheProgramDrainedAndAFullRingWaitsWithoutSpinning() throws Exception {
        try (BpfObject object = load()) {
            AtomicLong requested = new AtomicLong();
            UserRingBufSink<Long> sink = UserRingBufSink.of(object.map("requests"), Long.BYTES, U64);
            Flux.range(0, 100_000).map(Long::valueOf).doOnRequest(requested::addAndGet).subscribe(sink);
            await(() -> sink.written() == SLOTS, "the ring filled");
            assertEquals(SLOTS, requested.get(), "nothing requested beyond the room in the ring");

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long writer = writerThread("user-ringbuf-requests");
            long cpu = threads.getThreadCpuTime(writer);
            Thread.sleep(500);
            long spent = threads.getThreadCpuTime(writer) - cpu;
            assertTrue(spent < 20_000_000, "a full ring waits for a drain: " + spent / 1000 + " us of CPU in 500 ms");
            assertEquals(SLOTS, requested.get());

            GetpgidSampler.trigger(1);
            await(() -> sink.written() == 2 * SLOTS, "a drain made room for a ring more");
            assertEquals(2 * SLOTS, requested.get());
            sink.dispose();
            sink.done().block(Duration.ofSeconds(5));
        }
    }

    @Test
    void closingTheMapEndsTheSinkWithTheClosedErrorAndCancelsTheUpstream() throws Exception {
        BpfObject object = load();
        AtomicBoolean cancelled = new AtomicBoolean();
        UserRingBufSink<Long> sink = UserRingBufSink.of(object.map("requests"), Long.BYTES, U64);
        Flux.<Long>never().doOnCancel(() -> cancelled.set(true)).subscribe(sink);
        object.close();
        PerfBufferClosedException e = assertThrows(PerfBufferClosedException.class,
                () -> sink.done().block(Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("map 'requests' was closed"), e.getMessage());
        assertTrue(cancelled.get());
    }

    @Test
    void disposeCancelsTheUpstreamCompletesDoneAndLeaksNothing() {
        try (BpfObject object = load()) {
            BpfMap map = object.map("requests");
            UserRingBufSink.of(map, Long.BYTES, U64).dispose();
            Map<String, Long> fds = OpenDescriptors.kernelObjects();
            long mappings = OpenDescriptors.perfMappings();
            for (int i = 0; i < 200; i++) {
                AtomicBoolean cancelled = new AtomicBoolean();
                UserRingBufSink<Long> sink = UserRingBufSink.of(map, Long.BYTES, U64);
                Flux.<Long>never().doOnCancel(() -> cancelled.set(true)).subscribe(sink);
                sink.dispose();
                sink.done().block(Duration.ofSeconds(5));
                assertTrue(cancelled.get());
            }
            assertEquals(fds, OpenDescriptors.kernelObjects());
            assertEquals(mappings, OpenDescriptors.perfMappings());
        }
    }

    @Test
    void theUpstreamsErrorIsDonesErrorAfterWhatCameBeforeIsWritten() {
        try (BpfObject object = load()) {
            UserRingBufSink<Long> sink = UserRingBufSink.of(object.map("requests"), Long.BYTES, U64);
            Flux.range(0, 10).map(Long::valueOf).concatWith(Flux.error(new IllegalStateException("upstream broke")))
                    .subscribe(sink);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> sink.done().block(Duration.ofSeconds(5)));
            assertEquals("upstream broke", e.getMessage());
            assertEquals(10, sink.written());
        }
    }

    @Test
    void aSecondSinkOnTheMapFailsAtOnce() {
        try (BpfObject object = load()) {
            UserRingBufSink<Long> first = UserRingBufSink.of(object.map("requests"), Long.BYTES, U64);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> UserRingBufSink.of(object.map("requests"), Long.BYTES, U64));
            assertTrue(e.getMessage().contains("already has an open writer"), e.getMessage());
            first.dispose();
        }
    }

    @Test
    void aMapOfAnotherKindOrARecordTooBigIsRefusedSayingWhy() {
        try (RingBufLostObject rb = RingBufLostObject.load(1); BpfObject object = load()) {
            IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                    () -> UserRingBufSink.of(rb.reserved(), Long.BYTES, U64));
            assertTrue(kind.getMessage().contains("not a USER_RINGBUF; a RINGBUF is written by programs and read with"
                    + " RingBufStream or RingBuffer"), kind.getMessage());
            IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                    () -> UserRingBufSink.of(object.map("requests"), 4096, U64));
            assertTrue(size.getMessage().contains("give a size from 1 to 4088"), size.getMessage());
            UserRingBufSink.of(object.map("requests"), 4088, U64).dispose();
        }
    }

    private static long writerThread(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + name)).getId();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }
}
