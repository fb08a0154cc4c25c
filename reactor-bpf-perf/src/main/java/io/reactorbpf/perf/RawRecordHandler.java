package io.reactorbpf.perf;

import java.nio.ByteBuffer;

/**
 * Receives every record {@link PerfRing#drainRaw(int, RawRecordHandler)} hands out, undecoded and with its
 * {@code perf_event_header}, as libbpf's {@code perf_buffer__new_raw} does.
 *
 * <p>Threading, buffer validity and exceptions are as for {@link RecordHandler}: called on the draining
 * thread; {@code record} is a read-only native-order view valid only during the call, read with absolute
 * indexes from {@code offset} (the header's first byte) for {@code length} bytes (the header's size).
 */
@FunctionalInterface
public interface RawRecordHandler {

    void onRecord(int cpu, int type, int misc, ByteBuffer record, int offset, int length);
}
