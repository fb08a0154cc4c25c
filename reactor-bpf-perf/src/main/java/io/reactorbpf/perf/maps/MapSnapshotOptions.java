package io.reactorbpf.perf.maps;

import reactor.core.scheduler.Scheduler;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link MapSnapshots} reads a map: how often, what each snapshot holds, how per-CPU values come, and where
 * the reads run. One immutable value checked when built: {@code MapSnapshotOptions.builder().interval(
 * Duration.ofSeconds(5)).mode(SnapshotMode.DELTA).build()}. Thread-safe.
 *
 * @param interval  the time between reads, at least 1 ms (default 1 s)
 * @param mode      what each snapshot holds (default {@link SnapshotMode#CUMULATIVE})
 * @param cpuValues how a per-CPU map's values come (default {@link CpuValues#SUMMED})
 * @param scheduler where each subscription's reads and signals run; null (the default) for a daemon thread
 *                  {@code maps-NAME} of its own per subscription, ended with it. A given scheduler is the
 *                  caller's: the stream uses one worker of it and leaves the scheduler running.
 */
public record MapSnapshotOptions(Duration interval, SnapshotMode mode, CpuValues cpuValues, Scheduler scheduler) {

    /** The default interval, as libbpf-tools' default of one line or histogram per second. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private static final MapSnapshotOptions DEFAULTS = builder().build();

    /** Checks the options as a whole. */
    public MapSnapshotOptions {
        Objects.requireNonNull(interval, "interval");
        if (interval.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("a snapshot interval is at least 1 ms, not " + interval);
        }
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(cpuValues, "cpuValues");
    }

    /** One snapshot a second, cumulative, per-CPU values summed, on a thread of each subscription's own. */
    public static MapSnapshotOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link MapSnapshotOptions}; not thread-safe. */
    public static final class Builder {

        private Duration interval = DEFAULT_INTERVAL;
        private SnapshotMode mode = SnapshotMode.CUMULATIVE;
        private CpuValues cpuValues = CpuValues.SUMMED;
        private Scheduler scheduler;

        private Builder() {
        }

        /** The time between reads, at least 1 ms. */
        public Builder interval(Duration interval) {
            this.interval = interval;
            return this;
        }

        /** What each snapshot holds. */
        public Builder mode(SnapshotMode mode) {
            this.mode = mode;
            return this;
        }

        /** How a per-CPU map's values come. */
        public Builder cpuValues(CpuValues cpuValues) {
            this.cpuValues = cpuValues;
            return this;
        }

        /** Runs reads and signals on {@code scheduler} (one worker per subscription); null for a thread of their own. */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** @throws IllegalArgumentException when the interval is below 1 ms */
        public MapSnapshotOptions build() {
            return new MapSnapshotOptions(interval, mode, cpuValues, scheduler);
        }
    }
}
