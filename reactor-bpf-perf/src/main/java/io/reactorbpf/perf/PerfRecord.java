package io.reactorbpf.perf;

/**
 * One record exactly as the kernel wrote it, for the raw variant: the {@code perf_event_header} fields and
 * the whole record (header included) in {@code bytes}, which the receiver owns.
 */
public record PerfRecord(int cpu, int type, int misc, byte[] bytes) {

    /** The record type's name, such as {@code SAMPLE} or {@code LOST}. */
    public String typeName() {
        return PerfRecordType.name(type);
    }
}
