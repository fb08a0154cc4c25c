package io.reactorbpf.core.map;

import com.sun.management.ThreadMXBean;
import io.reactorbpf.core.internal.sys.Bpf;
import io.reactorbpf.core.sys.MapCreateAttr;
import io.reactorbpf.core.sys.MapType;
import io.reactorbpf.core.internal.sys.NativeBuffer;
import io.reactorbpf.core.testing.KernelTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the element operations allocate on the Java heap, measured against a bare bpf(2) call into buffers
 * allocated once: the syscall binding's own allocation is not the map's to remove.
 */
@KernelTest
class BpfMapAllocationTest {

    private static final int CALLS = 10_000;
    private static final int ROUNDS = 4;
    private static final long VALUE = 42;

    /** A byte[8] (16-byte header, 8 bytes) and its Optional (16 bytes). */
    private static final long RETURNED_VALUE_BYTES = 40;

    /** How much one call's allocation moves as the JIT compiler warms up (the syscall invoker: 112, then 80 bytes). */
    private static final long JIT_NOISE = 32;

    /** Reads a long out of a byte[] without allocating a wrapping ByteBuffer. */
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final byte[] key = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(1).array();
    private final byte[] value = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(VALUE).array();

    @BeforeEach
    void threadAllocationIsCounted() {
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count the bytes a thread allocates");
    }

    @Test
    void aLookupAllocatesOnlyTheValueItReturnsBeyondTheSyscall() {
        try (BpfMap map = BpfMap.create(MapCreateAttr.of(MapType.HASH, "test_alloc", 4, 8, 4))) {
            map.update(key, value);
            long syscall = bytesPerCall(bareLookup(map));
            long lookup = bytesPerCall(() -> (long) LONG.get(map.lookup(key).orElseThrow(), 0));
            assertTrue(lookup - syscall <= RETURNED_VALUE_BYTES + JIT_NOISE, "a lookup of an 8-byte value allocated "
                    + lookup + " bytes, the bare syscall " + syscall + ": more than the " + RETURNED_VALUE_BYTES
                    + " its returned array and Optional take");
        }
    }

    @Test
    void anUpdateAllocatesNothingBeyondTheSyscall() {
        try (BpfMap map = BpfMap.create(MapCreateAttr.of(MapType.HASH, "test_alloc", 4, 8, 4))) {
            map.update(key, value);
            long syscall = bytesPerCall(bareLookup(map));
            long update = bytesPerCall(() -> {
                map.update(key, value);
                return VALUE;
            });
            assertTrue(update <= syscall + JIT_NOISE,
                    "an update allocated " + update + " bytes, the bare syscall " + syscall);
        }
    }

    /** The map's value read by BPF_MAP_LOOKUP_ELEM into buffers this method allocates once. */
    private LongSupplier bareLookup(BpfMap map) {
        NativeBuffer k = NativeBuffer.copyOf(key);
        NativeBuffer v = NativeBuffer.allocate(8);
        return () -> {
            Bpf.mapLookupElem(map.fd(), k, v, 0);
            return v.buffer().getLong(0);
        };
    }

    /**
     * Heap bytes this thread allocates per call of {@code call}: the least over a few rounds of {@value #CALLS}
     * calls, since the JIT compiler only ever removes allocation as it warms up.
     */
    private long bytesPerCall(LongSupplier call) {
        long least = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            long sum = repeat(call);
            least = Math.min(least, (threads.getCurrentThreadAllocatedBytes() - before) / CALLS);
            assertEquals(VALUE * CALLS, sum, "a call saw another value than the one stored");
        }
        return least;
    }

    private static long repeat(LongSupplier call) {
        long sum = 0;
        for (int i = 0; i < CALLS; i++) {
            sum += call.getAsLong();
        }
        return sum;
    }
}
