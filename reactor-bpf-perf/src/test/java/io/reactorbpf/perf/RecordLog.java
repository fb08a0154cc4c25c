package io.reactorbpf.perf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Test handler that copies every record it is handed into a list of comparable values; tests override a callback to watch the ring mid-pass. */
class RecordLog implements RecordHandler, RawRecordHandler {

    /** What a reader handed out, by value. */
    sealed interface Event permits Sample, Lost, Other {
    }

    record Sample(int cpu, String hex) implements Event {
    }

    record Lost(int cpu, long lost) implements Event {
    }

    record Other(int cpu, int type, int misc, String hex) implements Event {
    }

    private final List<Event> events = new ArrayList<>();

    static Sample sample(int cpu, byte[] data) {
        return new Sample(cpu, HexFormat.of().formatHex(data));
    }

    /** The hex of a record as the kernel lays it out: header, then body zero-padded to {@code size}. */
    static String record(int type, int misc, int size, byte[] body) {
        ByteBuffer header = ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder());
        header.putInt(0, type).putShort(4, (short) misc).putShort(6, (short) size);
        return hex(header, 0, 8) + HexFormat.of().formatHex(java.util.Arrays.copyOf(body, size - 8));
    }

    static String hex(ByteBuffer buffer, int offset, int length) {
        byte[] copy = new byte[length];
        buffer.get(offset, copy);
        return HexFormat.of().formatHex(copy);
    }

    List<Event> events() {
        return events;
    }

    @Override
    public void onSample(int cpu, ByteBuffer data, int offset, int length) {
        events.add(new Sample(cpu, hex(data, offset, length)));
    }

    @Override
    public void onLost(int cpu, long lost) {
        events.add(new Lost(cpu, lost));
    }

    @Override
    public void onOther(int cpu, int type, int misc, ByteBuffer record, int offset, int length) {
        events.add(new Other(cpu, type, misc, hex(record, offset, length)));
    }

    @Override
    public void onRecord(int cpu, int type, int misc, ByteBuffer record, int offset, int length) {
        onOther(cpu, type, misc, record, offset, length);
    }
}
