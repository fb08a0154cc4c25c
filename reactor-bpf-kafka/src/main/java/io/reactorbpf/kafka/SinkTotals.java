package io.reactorbpf.kafka;

/**
 * What a {@link KafkaSink} did with the events it took, at one moment: each sample and each loss report became
 * one record, and each record was acknowledged by the broker, failed, or is still in flight. An immutable
 * snapshot.
 *
 * <p>For a program that counts what it produces, once a shipment has ended (its {@code Mono} emitted these
 * totals, so nothing is in flight) every sample it produced is accounted for:
 * {@code produced == acknowledged() + failed() + lost()}, plus what the ring itself discarded when its stream was
 * cancelled rather than completed ({@code PerfRingCounters.discarded()}).
 *
 * @param samples                 samples taken from the stream, each sent as one record
 * @param acknowledged            sample records the broker acknowledged
 * @param failed                  sample records that were not delivered: the producer gave up on them (after its
 *                                own retries, within {@code delivery.timeout.ms}), refused them, or they could not
 *                                be formatted
 * @param lost                    samples the kernel dropped because the ring was full, as its loss reports said
 * @param lostRecords             loss reports taken from the stream, each sent as one record
 * @param lostRecordsAcknowledged loss records the broker acknowledged
 * @param lostRecordsFailed       loss records that were not delivered (their counts are in {@link #lost()} all
 *                                the same)
 * @since 0.1
 */
public record SinkTotals(long samples, long acknowledged, long failed, long lost,
                         long lostRecords, long lostRecordsAcknowledged, long lostRecordsFailed) {

    /**
     * Records sent and not yet acknowledged or failed.
     *
     * @return the records in flight; 0 once a shipment has ended
     */
    public long inFlight() {
        return samples - acknowledged - failed + lostRecords - lostRecordsAcknowledged - lostRecordsFailed;
    }

    /**
     * The samples these totals account for: acknowledged, failed, or lost in the ring. Equals what the programs
     * produced into the stream's rings once a completed shipment has ended.
     *
     * @return {@code acknowledged() + failed() + lost()}
     */
    public long accounted() {
        return acknowledged + failed + lost;
    }
}
