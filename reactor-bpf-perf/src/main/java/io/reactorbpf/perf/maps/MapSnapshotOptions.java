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
 * @since 0.1
 */
public record MapSnapshotOptions(Duration interval, SnapshotMode mode, CpuValues cpuValues, Scheduler scheduler) {

    /** The default interval, as libbpf-tools' default of one line or histogram per second. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    private static final MapSnapshotOptions DEFAULTS = builder().build();

    /**
     * Checks the options as a whole.
     *
     * @param interval  the time between reads, at least 1 ms
     * @param mode      what each snapshot holds
     * @param cpuValues how a per-CPU map's values come
     * @param scheduler where each subscription's reads and signals run, one worker each; null for a thread of
     *                  each subscription's own
     * @throws IllegalArgumentException when the interval is below 1 ms
     */
    public MapSnapshotOptions {
        Objects.requireNonNull(interval, "interval");
        if (interval.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("a snapshot interval is at least 1 ms, not " + interval);
        }
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(cpuValues, "cpuValues");
    }

    /**
     * One snapshot a second, cumulative, per-CPU values summed, on a thread of each subscription's own.
     *
     * @return the shared default options
     */
    public static MapSnapshotOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder, the caller's alone
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds {@link MapSnapshotOptions}; not thread-safe.
     *
     * @since 0.1
     */
    public static final class Builder {

        private Duration interval = DEFAULT_INTERVAL;
        private SnapshotMode mode = SnapshotMode.CUMULATIVE;
        private CpuValues cpuValues = CpuValues.SUMMED;
        private Scheduler scheduler;

        private Builder() {
        }

        /**
         * The time between reads: how often each subscription looks for demand and, finding it, reads the map.
         *
         * @param interval at least 1 ms, checked by {@link #build()}
         * @return this builder
         */
        public Builder interval(Duration interval) {
            this.interval = interval;
            return this;
        }

        /**
         * What each snapshot holds: the totals, the change since the previous snapshot, or what came since the
         * map was last cleared.
         *
         * @param mode the snapshots' mode
         * @return this builder
         */
        public Builder mode(SnapshotMode mode) {
            this.mode = mode;
            return this;
        }

        /**
         * How a per-CPU map's values come; other maps have one value per key either way.
         *
         * @param cpuValues summed over the CPUs, or one per possible CPU
         * @return this builder
         */
        public Builder cpuValues(CpuValues cpuValues) {
            this.cpuValues = cpuValues;
            return this;
        }

        /**
         * Runs reads and signals on {@code scheduler} (one worker per subscription); null for a thread of their own.
         *
         * @param scheduler the caller's scheduler, which the streams leave running; or null
         * @return this builder
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /**
         * The options as set so far, checked as a whole; the builder can go on to build others.
         *
         * @return new options
         * @throws IllegalArgumentException when the interval is below 1 ms
         */
        public MapSnapshotOptions build() {
            return new MapSnapshotOptions(interval, mode, cpuValues, scheduler);
        }
    }
}
