package io.reactorbpf.core.map;

import io.reactorbpf.core.sys.MapType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The stack traces a BPF program stored with {@code bpf_get_stackid} in a STACK_TRACE map, by stack id: each an
 * array of instruction addresses, innermost first, as the kernel wrote them ({@code u64 ips[]}, ended by the first
 * 0 or the value's end). Resolve them with {@link io.reactorbpf.core.symbol.Kallsyms} (kernel stacks) or
 * {@link io.reactorbpf.core.symbol.ProcessSymbols} (user stacks). Owns nothing (the {@link BpfMap} does);
 * thread-safe as the map is.
 *
 * @since 0.1
 */
public final class StackTraceMap {

    private final BpfMap map;

    /**
     * Stack trace access to {@code map}, which stays owned by the caller.
     *
     * @param map a STACK_TRACE map
     * @throws MapException when the map is of another type
     */
    public StackTraceMap(BpfMap map) {
        if (map.type() != MapType.STACK_TRACE) {
            throw new MapException("map '" + map.name() + "' is a " + map.type() + ", not a STACK_TRACE map");
        }
        this.map = map;
    }

    /**
     * The addresses of stack {@code stackId}, innermost frame first.
     *
     * @param stackId an id {@code bpf_get_stackid} returned; a negative one is the error it returned instead
     *     (-EFAULT: no stack, -EEXIST: a hash collision the program chose not to replace)
     * @return the addresses, empty for a negative id or one the map does not hold (yet, or any more)
     */
    public long[] addresses(int stackId) {
        if (stackId < 0) {
            return new long[0];
        }
        byte[] key = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(stackId).array();
        return map.lookup(key).map(StackTraceMap::addresses).orElseGet(() -> new long[0]);
    }

    private static long[] addresses(byte[] value) {
        ByteBuffer ips = ByteBuffer.wrap(value).order(ByteOrder.nativeOrder());
        long[] out = new long[value.length / Long.BYTES];
        int n = 0;
        while (n < out.length) {
            long ip = ips.getLong(n * Long.BYTES);
            if (ip == 0) {
                break;
            }
            out[n++] = ip;
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * The map read.
     *
     * @return the map, owned by its object
     */
    public BpfMap map() {
        return map;
    }
}
