package io.reactorbpf.kafka;

import io.reactorbpf.core.btf.value.BtfJsonDecoder;
import io.reactorbpf.perf.RingBuf;
import tools.jackson.core.JsonGenerator;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** A sample as one JSON object with the host and CPU: BTF-decoded members, or its size and hex data. */
final class JsonSampleFormat implements SampleFormat {

    static final JsonSampleFormat HEX = new JsonSampleFormat(null);

    /** Null: no type known, the data goes out as hex. */
    private final BtfJsonDecoder decoder;

    JsonSampleFormat(BtfJsonDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public byte[] value(String host, int cpu, byte[] data) {
        return JsonValues.object(g -> {
            hostAndCpu(g, host, cpu);
            if (decoder != null) {
                decoder.writeProperties(g, ByteBuffer.wrap(data), 0, data.length);
            } else {
                g.writeNumberProperty("size", data.length);
                g.writeStringProperty("data", HexFormat.of().formatHex(data));
            }
        });
    }

    /** The lost record's value: {@code {"host":H,"cpu":C,"lost":N}}. */
    static byte[] lost(String host, int cpu, long count) {
        return JsonValues.object(g -> {
            hostAndCpu(g, host, cpu);
            g.writeNumberProperty("lost", count);
        });
    }

    private static void hostAndCpu(JsonGenerator g, String host, int cpu) {
        g.writeStringProperty("host", host);
        if (cpu != RingBuf.NO_CPU) {
            g.writeNumberProperty("cpu", cpu);
        }
    }

    @Override
    public String toString() {
        return decoder == null ? "SampleFormat.json()" : "SampleFormat.json(" + decoder.typeName() + ")";
    }
}
