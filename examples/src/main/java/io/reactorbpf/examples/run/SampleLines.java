package io.reactorbpf.examples.run;

import io.reactorbpf.core.btf.value.BtfJsonDecoder;
import io.reactorbpf.examples.cli.JsonLines;
import io.reactorbpf.perf.RingBuf;
import tools.jackson.core.JsonGenerator;

import java.nio.ByteBuffer;

/**
 * Writes samples and losses as JSON lines straight from ring memory: with a decoder,
 * {@code {"cpu":C, <the struct's members>}}; without, {@code {"cpu":C,"size":N,"data":"<hex>"}}; a loss as
 * {@code {"lost":N,"cpu":C}}. A struct with a member named {@code cpu} of its own gets the ring's CPU as
 * {@code ring_cpu}. Samples and losses of a BPF ring buffer, which serves every CPU, carry no {@code cpu}. Called on
 * the reading thread; allocates nothing per sample beyond what the JSON writer buffers.
 */
final class SampleLines {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final JsonLines out;
    private final BtfJsonDecoder decoder;
    /** The name of the ring's CPU in a sample: "cpu", unless the decoded struct has a member of that name. */
    private final String cpuName;
    /** Poller thread only: the hex text of the current sample, grown to the largest seen. */
    private byte[] hex = new byte[256];

    /** {@code decoder} null: raw samples as hex. */
    SampleLines(JsonLines out, BtfJsonDecoder decoder) {
        this.out = out;
        this.decoder = decoder;
        this.cpuName = decoder != null && decoder.hasProperty("cpu") ? "ring_cpu" : "cpu";
    }

    void sample(int cpu, ByteBuffer data, int offset, int length) {
        out.write(g -> {
            g.writeStartObject();
            if (cpu != RingBuf.NO_CPU) {
                g.writeNumberProperty(cpuName, cpu);
            }
            if (decoder != null) {
                decoder.writeProperties(g, data, offset, length);
            } else {
                g.writeNumberProperty("size", length);
                writeHex(g, data, offset, length);
            }
            g.writeEndObject();
        });
    }

    void lost(int cpu, long count) {
        out.write(g -> {
            g.writeStartObject();
            g.writeNumberProperty("lost", count);
            if (cpu != RingBuf.NO_CPU) {
                g.writeNumberProperty("cpu", cpu);
            }
            g.writeEndObject();
        });
    }

    private void writeHex(JsonGenerator g, ByteBuffer data, int offset, int length) {
        if (hex.length < 2 * length) {
            hex = new byte[Integer.highestOneBit(2 * length) << 1];
        }
        byte[] text = hex;
        for (int i = 0; i < length; i++) {
            int b = data.get(offset + i) & 0xff;
            text[2 * i] = HEX[b >>> 4];
            text[2 * i + 1] = HEX[b & 0xf];
        }
        g.writeName("data");
        g.writeUTF8String(text, 0, 2 * length);
    }
}
