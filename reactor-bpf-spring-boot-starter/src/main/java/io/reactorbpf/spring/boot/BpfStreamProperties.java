package io.reactorbpf.spring.boot;

import io.reactorbpf.perf.Wakeup;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * One streamed map under {@code reactorbpf.objects.NAME.streams.MAP}: how its rings are opened and how much each
 * subscriber may fall behind. Unset ring options keep the library's defaults ({@code PerfBufferOptions.defaults()},
 * {@code RingBufOptions.defaults()}). Immutable; checked when bound.
 *
 * @param pages            a perf event array's ring size per CPU in pages, or a ring buffer's whole size in pages
 *                         (set as the map's max_entries before load); a power of two
 * @param wakeup           when the kernel wakes the reader of a perf event array: {@code adaptive} (the default),
 *                         {@code every-sample}, {@code quarter-ring}, {@code events:N} (every N samples) or
 *                         {@code watermark:SIZE} (once SIZE bytes wait, e.g. {@code watermark:16KB}); a ring
 *                         buffer's reader is woken by each commit and takes no wakeup
 * @param latencyBound     how often the rings are looked at whatever the wakeups, so that no event waits longer
 *                         ({@code 0} relies on wakeups alone)
 * @param subscriberBuffer events held for each subscriber that falls behind; when it is full the oldest are dropped
 *                         and counted, and the subscriber is told how many before its next event
 * @param kafkaTopic       a Kafka topic the stream is shipped to, by the producer {@code reactorbpf.kafka.*}
 *                         configures (with {@code reactor-bpf-kafka} on the class path); none when unset
 * @param kafkaType        the BTF struct the shipped samples are decoded as, into JSON; unset, a sample's value
 *                         is JSON with its bytes in hex
 */
public record BpfStreamProperties(Integer pages, String wakeup, Duration latencyBound,
                                  @DefaultValue("1024") int subscriberBuffer, String kafkaTopic, String kafkaType) {

    /**
     * Checks each value on its own; how they fit the map and each other is checked when the stream opens.
     *
     * @param pages            the ring size in pages, a power of two, or null for the default
     * @param wakeup           the wakeup of a perf event array's rings, or null for the default
     * @param latencyBound     how often the rings are looked at regardless of wakeups, or null for the default
     * @param subscriberBuffer events held for each subscriber that falls behind
     * @param kafkaTopic       the Kafka topic the stream is shipped to, or null for none
     * @param kafkaType        the BTF struct shipped samples are decoded as, or null for hex
     */
    public BpfStreamProperties {
        if (pages != null && (pages <= 0 || Integer.bitCount(pages) != 1)) {
            throw new IllegalArgumentException("pages must be a power of two, got " + pages);
        }
        if (wakeup != null) {
            parseWakeup(wakeup);
        }
        if (latencyBound != null && latencyBound.isNegative()) {
            throw new IllegalArgumentException("latency-bound must not be negative, got " + latencyBound);
        }
        if (subscriberBuffer < 1) {
            throw new IllegalArgumentException("subscriber-buffer must hold at least 1 event, got "
                    + subscriberBuffer);
        }
        if (kafkaTopic != null && kafkaTopic.isBlank()) {
            throw new IllegalArgumentException("kafka-topic must name a topic, got '" + kafkaTopic + "'");
        }
        if (kafkaType != null && kafkaTopic == null) {
            throw new IllegalArgumentException("kafka-type decodes what is shipped to kafka-topic, which is not set");
        }
    }

    /** The wakeup, when one was set. */
    Optional<Wakeup> wakeupChoice() {
        return Optional.ofNullable(wakeup).map(BpfStreamProperties::parseWakeup);
    }

    private static Wakeup parseWakeup(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (value.startsWith("events:")) {
                return Wakeup.events(Integer.parseInt(value.substring("events:".length()).strip()));
            }
            if (value.startsWith("watermark:")) {
                return Wakeup.watermark(Math.toIntExact(DataSize.parse(
                        value.substring("watermark:".length()).strip().toUpperCase(Locale.ROOT)).toBytes()));
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("wakeup '" + text + "' is malformed: " + e.getMessage()
                    + "; give events:N or watermark:SIZE with a positive N or SIZE", e);
        }
        return switch (value) {
            case "adaptive" -> Wakeup.adaptive();
            case "every-sample" -> Wakeup.everySample();
            case "quarter-ring" -> Wakeup.quarterRing();
            default -> throw new IllegalArgumentException("wakeup '" + text + "' is none of adaptive, every-sample,"
                    + " quarter-ring, events:N, watermark:SIZE");
        };
    }
}
