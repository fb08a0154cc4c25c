package io.reactorbpf.perf;

/**
 * One record exactly as the kernel wrote it, for the raw variant: the {@code perf_event_header} fields and
 * the whole record (header included) in {@code bytes}, which the receiver owns.
 *
 * @param cpu the CPU whose ring carried the record
 * @param type the header's record type, such as {@link PerfRecordType#SAMPLE}
 * @param misc the header's misc bits
 * @param bytes the record, header included
 * @since 0.1
 */
public record PerfRecord(int cpu, int type, int misc, byte[] bytes) {

    /**
     * The record type's name, such as {@code SAMPLE} or {@code LOST}.
     *
     * @return the name, or the number for a type this library does not know
     */
    public String typeName() {
        return PerfRecordType.name(type);
    }
}
