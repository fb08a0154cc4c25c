package io.reactorbpf.kafka;

import io.reactorbpf.core.btf.value.BtfJsonDecoder;

import java.util.Objects;

/**
 * How a {@link KafkaSink} turns one sample into a record value. The sink calls {@link #value} on the thread that
 * delivers the stream's elements (a perf stream's poller), once per sample, before the record is sent; a format
 * that throws makes that sample a failed send, counted as such.
 *
 * <p>The formats here are immutable and safe to share between sinks and threads.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface SampleFormat {

    /**
     * The record value of one sample.
     *
     * @param host the host name the sink stamps on its records
     * @param cpu  the CPU whose ring carried the sample, or {@code RingBuf.NO_CPU} for a BPF ring buffer
     * @param data the sample's raw data; the format may keep it, the sink does not touch it afterwards
     * @return the value, owned by the sink from then on
     */
    byte[] value(String host, int cpu, byte[] data);

    /**
     * JSON without a type: {@code {"host":H,"cpu":C,"size":N,"data":"<hex>"}}, as {@code run} prints a sample whose
     * type it was not told ({@code cpu} left out for a BPF ring buffer, which serves every CPU). The default.
     *
     * @return the format
     */
    static SampleFormat json() {
        return JsonSampleFormat.HEX;
    }

    /**
     * JSON decoded with the sample's BTF type: {@code {"host":H,"cpu":C, <the struct's members>}}, as
     * {@code run --type} prints it.
     *
     * @param decoder the sample type's decoder, such as {@code BtfJsonDecoder.forType(spec.btf().get(), "event")}
     * @return the format
     */
    static SampleFormat json(BtfJsonDecoder decoder) {
        return new JsonSampleFormat(Objects.requireNonNull(decoder, "decoder"));
    }

    /**
     * The sample's bytes as the program wrote them (with the 0 to 7 pad bytes a perf ring adds), host and CPU
     * only in the record's key.
     *
     * @return the format
     */
    static SampleFormat raw() {
        return (host, cpu, data) -> data;
    }
}
