package io.reactorbpf.benchmarks.jmh;

import io.reactorbpf.core.btf.Btf;
import io.reactorbpf.core.btf.value.BtfJsonDecoder;
import io.reactorbpf.core.internal.elf.ElfFile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The cost per event of turning a sample into a JSON line: decoded by its BTF struct type
 * ({@link BtfJsonDecoder}, what {@code reactor-bpf.jar run --type} does) against the raw path (the bytes as
 * hex, what {@code run} does without a type) and a plain copy of the bytes. The sample is an execsnoop
 * {@code struct exec_event} carrying three arguments, read from the bundled object's BTF; output goes to a
 * stream that discards it. Run from the repository root (the object's path is relative to it, or set
 * {@code -Dreactor.bpf.object=PATH}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BtfJsonBenchmark {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private BtfJsonDecoder decoder;
    private ByteBuffer sample;
    private int length;
    private JsonGenerator generator;
    private char[] hex;

    @Setup
    public void load() throws IOException {
        Path object = Path.of(System.getProperty("reactor.bpf.object", "examples/src/main/resources/bpf/execsnoop.bpf.o"));
        ElfFile elf = ElfFile.parse(Files.readAllBytes(object));
        ByteBuffer btf = elf.section(".BTF").orElseThrow().data();
        byte[] bytes = new byte[btf.remaining()];
        btf.get(bytes);
        decoder = BtfJsonDecoder.forType(Btf.parse(bytes), "exec_event");
        byte[] args = "/usr/bin/ls\0-la\0/tmp\0".getBytes(StandardCharsets.US_ASCII);
        sample = ByteBuffer.allocateDirect(4096).order(ByteOrder.LITTLE_ENDIAN);
        sample.putInt(0, 4242).putInt(4, 1).putInt(8, 1000).putInt(12, 3).putInt(16, args.length);
        sample.put(20, "bash".getBytes(StandardCharsets.US_ASCII));
        sample.put(36, args);
        length = 36 + args.length;
        generator = new JsonFactory().createGenerator(ObjectWriteContext.empty(), OutputStream.nullOutputStream());
        hex = new char[length * 2];
    }

    @TearDown
    public void close() {
        generator.close();
    }

    @Benchmark
    public JsonGenerator btfJson() {
        decoder.write(generator, sample, 0, length);
        return generator;
    }

    @Benchmark
    public JsonGenerator rawHex() {
        for (int i = 0; i < length; i++) {
            int b = sample.get(i) & 0xff;
            hex[2 * i] = HEX[b >>> 4];
            hex[2 * i + 1] = HEX[b & 0xf];
        }
        generator.writeStartObject();
        generator.writeNumberProperty("cpu", 0);
        generator.writeNumberProperty("size", length);
        generator.writeName("data");
        generator.writeString(hex, 0, hex.length);
        generator.writeEndObject();
        return generator;
    }

    @Benchmark
    public byte[] rawCopy() {
        byte[] bytes = new byte[length];
        sample.get(0, bytes);
        return bytes;
    }
}
