package io.reactorbpf.perf;

import io.reactorbpf.core.sys.Kernel;
import io.reactorbpf.core.sys.PerfEventAttr;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * How a perf buffer or stream opens and reads its rings: their size, when the kernel wakes the reader, how long
 * a record may wait, and who hears about the rings. One immutable value, validated as a whole when built:
 * {@code PerfBufferOptions.builder().pages(64).wakeup(Wakeup.events(64)).build()}. Thread-safe.
 *
 * <p>Defaults ({@link #defaults()}): {@value #DEFAULT_PAGES} pages (2 MiB with 4 KiB pages) per ring and
 * {@link Wakeup#adaptive()} wakeups: per CPU one ring that wakes the reader on every sample while the CPU's rate
 * is low (the reader sleeps while idle, and a lone sample arrives at once) and one batched at a quarter-ring
 * watermark while it is high, peeked at by a timer every 875 us so that no record waits longer than
 * {@link #DEFAULT_LATENCY_BOUND}; the batched ring has the full size, the other at most
 * 128 pages, so 2.5 MiB of ring memory per CPU. Overwritable rings, the raw variant and a zero
 * latency bound, which adaptive wakeups cannot serve, default to a single ring woken at a quarter-ring
 * watermark. {@link #libbpfDefaults()} gives libbpf's one wakeup per sample and no timed peek.
 *
 * <p>A sample larger than a ring's data area can never be written: the kernel drops it without a LOST record.
 * Declare the largest sample with {@link Builder#maxSampleSize(int)} to have such options refused when built.
 *
 * @param pages          each ring's data area in pages, a power of two
 * @param wakeup         when the kernel wakes the reader
 * @param latencyBound   how often every ring is looked at whatever the wakeup; {@link Duration#ZERO}: wakeups only
 * @param maxSampleSize  the largest sample the program writes, or 0 when not declared
 * @param overwritable   flight-recorder rings: the kernel overwrites the oldest records, read by snapshots
 * @param listener       hears when rings open and close (meters bind there)
 * @param raw            the raw variant's CPUs, map keys and perf_event_attr, or null for one ring per online CPU
 * @since 0.1
 */
public record PerfBufferOptions(int pages, Wakeup wakeup, Duration latencyBound, int maxSampleSize,
                                boolean overwritable, PerfBufferListener listener, RawRings raw) {

    /**
     * Default ring size in pages: 2 MiB with 4 KiB pages. A new JVM reads its first samples slowly while the
     * reader is still being compiled; measured on this project's machines, a single producer thread flat out
     * (about 2 million 64-byte samples a second) from one second after subscribe overflowed 512 KiB rings by
     * 4,000 to 26,000 samples in every run; with a 2 MiB batched ring (about 25 ms of such a burst) most runs
     * lost none and the others some thousands. Above the kernel's default {@code perf_event_mlock_kb} (516 KiB
     * per CPU), which binds only processes without {@code CAP_IPC_LOCK} or {@code CAP_PERFMON}; such a process
     * gets a {@link io.reactorbpf.core.sys.LockedMemoryException} saying so, and {@code pages(128)} fits it.
     */
    public static final int DEFAULT_PAGES = 512;
    /**
     * The most pages of the ring that wakes the reader per sample under {@link Wakeup#adaptive()}: it carries a
     * CPU's samples only while they come slower than {@link AdaptiveWakeup#BATCH_ABOVE} a second, and the start of
     * a burst until the reader switches the CPU to its batched ring, which has the full {@link #pages()}.
     */
    static final int SINGLE_WAKEUP_MAX_PAGES = 128;
    /** Default bound on how long a record may wait below the wakeup threshold. */
    public static final Duration DEFAULT_LATENCY_BOUND = Duration.ofMillis(1);

    private static final PerfBufferOptions DEFAULTS = builder().build();

    /**
     * Checks the options as a whole.
     *
     * @param pages each ring's data area in pages, a power of two giving at most 1 GiB
     * @param wakeup when the kernel wakes the reader; a watermark at most the ring's size
     * @param latencyBound how often every ring is looked at, not negative; above zero for adaptive wakeups
     * @param maxSampleSize the largest sample, 0 when not declared; its record must fit the ring
     * @param overwritable whether the rings are flight-recorder rings
     * @param listener hears when rings open and close, {@link PerfBufferListener#NONE} for nobody
     * @param raw the raw variant's rings, or null
     * @throws IllegalArgumentException naming the value that does not fit, and why
     */
    public PerfBufferOptions {
        if (pages <= 0 || Integer.bitCount(pages) != 1) {
            throw new IllegalArgumentException("pages per CPU must be a power of two, got " + pages);
        }
        long ring = (long) pages * Kernel.pageSize();
        if (ring > (1L << 30)) {
            throw new IllegalArgumentException("pages per CPU must give at most 1 GiB per ring, got " + pages);
        }
        Objects.requireNonNull(wakeup, "wakeup");
        if (wakeup instanceof Wakeup.Watermark w && w.bytes() > ring) {
            throw new IllegalArgumentException("wakeup watermark must be 1.." + ring + " bytes (the ring size of "
                    + pages + " pages), got " + w.bytes());
        }
        Objects.requireNonNull(latencyBound, "latencyBound");
        if (latencyBound.isNegative()) {
            throw new IllegalArgumentException("latency bound must not be negative, got " + latencyBound);
        }
        if (maxSampleSize < 0) {
            throw new IllegalArgumentException("sample size must not be negative, got " + maxSampleSize);
        }
        long record = PerfEventHeader.SAMPLE_DATA + (long) maxSampleSize;
        if (maxSampleSize > 0 && (record > ring || record > PerfEventHeader.MAX_RECORD_SIZE)) {
            throw new IllegalArgumentException("a " + maxSampleSize + "-byte sample needs a " + record
                    + "-byte record, which does not fit " + (record > PerfEventHeader.MAX_RECORD_SIZE
                    ? "the 16-bit record size" : "a ring of " + pages + " pages (" + ring + " bytes)")
                    + "; the kernel would drop every such sample uncounted");
        }
        Objects.requireNonNull(listener, "listener");
        if (wakeup instanceof Wakeup.Adaptive && latencyBound.isZero()) {
            throw new IllegalArgumentException("adaptive wakeups peek at batched rings each latency bound, so a"
                    + " record below the watermark still comes out: give a latency bound above zero");
        }
        if (wakeup instanceof Wakeup.Adaptive && (overwritable || raw != null)) {
            throw new IllegalArgumentException("adaptive wakeups open their own perf events and read them as they"
                    + " fill; " + (overwritable ? "overwritable rings are read only by snapshots"
                    : "the raw variant's events are the caller's") + ": choose another wakeup");
        }
    }

    /**
     * The defaults described above.
     *
     * @return the shared default options
     */
    public static PerfBufferOptions defaults() {
        return DEFAULTS;
    }

    /**
     * libbpf's perf_buffer settings: one wakeup per sample and no timed peek. Lowest latency per sample, at a
     * syscall and a wakeup per sample; the defaults batch instead.
     *
     * @return the options
     */
    public static PerfBufferOptions libbpfDefaults() {
        return builder().wakeup(Wakeup.everySample()).latencyBound(Duration.ZERO).build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder, owned by the caller
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from these options.
     *
     * @return a new builder, owned by the caller
     */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Whether this is the raw variant, whose CPUs and keys are the caller's. */
    boolean isRaw() {
        return raw != null;
    }

    /** The perf_event_attr each ring is opened with; a new value each call. */
    PerfEventAttr attr() {
        if (raw != null) {
            return raw.attr();
        }
        PerfEventAttr attr = PerfEventAttr.bpfOutput(1);
        if (wakeup instanceof Wakeup.Events e) {
            attr.wakeupEvents(e.samples());
        } else if (wakeup instanceof Wakeup.Adaptive) {
            attr.wakeupWatermark(Math.max(1, pages * Kernel.pageSize() / 4));
        } else if (wakeup instanceof Wakeup.Watermark w) {
            attr.wakeupWatermark(w.bytes());
        } else {
            attr.wakeupWatermark(Math.max(1, pages * Kernel.pageSize() / 4));
        }
        return attr.writeBackward(overwritable);
    }

    /** The perf_event_attr of an adaptive ring's second event, which wakes the reader on every sample. */
    PerfEventAttr singleWakeupAttr() {
        return PerfEventAttr.bpfOutput(1).wakeupEvents(1);
    }

    /**
     * The timed peek interval, for a reader's own poll loop: the latency bound rounded up to whole milliseconds,
     * or -1 when it is zero (wakeups only). Poll with this timeout and consume when a poll times out, and no
     * record waits longer than the bound.
     *
     * @return the interval in milliseconds, or -1
     */
    public int peekMillis() {
        return peekMillis(latencyBound);
    }

    /** {@code bound} in whole milliseconds, rounded up; -1 for zero. */
    static int peekMillis(Duration bound) {
        long nanos = bound.toNanos();
        return nanos == 0 ? -1 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, (nanos + 999_999) / 1_000_000));
    }

    /**
     * The raw variant (libbpf's perf_buffer__new_raw): ring {@code i} on CPU {@code cpus[i]}, stored in map slot
     * {@code keys[i]}, opened with {@code attr}. Holds copies; its accessors return copies.
     *
     * @param attr the perf_event_attr every ring's event is opened with
     * @param cpus the CPU of each ring
     * @param keys the map slot of each ring, one per CPU
     * @since 0.1
     */
    public record RawRings(PerfEventAttr attr, int[] cpus, int[] keys) {

        /**
         * Checks and copies the caller's values.
         *
         * @param attr the perf_event_attr every ring's event is opened with; copied
         * @param cpus the CPU of each ring, not negative; copied
         * @param keys the map slot of each ring, not negative, as many as CPUs; copied
         * @throws IllegalArgumentException when there are no CPUs, the counts differ, or a value is negative
         */
        public RawRings {
            Objects.requireNonNull(attr, "attr");
            if (cpus.length == 0 || cpus.length != keys.length) {
                throw new IllegalArgumentException("the raw variant needs one map key per CPU, got " + cpus.length
                        + " CPUs and " + keys.length + " keys");
            }
            for (int i = 0; i < cpus.length; i++) {
                if (cpus[i] < 0) {
                    throw new IllegalArgumentException("negative CPU " + cpus[i]);
                }
                if (keys[i] < 0) {
                    throw new IllegalArgumentException("negative map key " + keys[i] + " for CPU " + cpus[i]);
                }
            }
            attr = attr.copy();
            cpus = cpus.clone();
            keys = keys.clone();
        }

        /**
         * The perf_event_attr every ring's event is opened with.
         *
         * @return a copy, owned by the caller
         */
        @Override
        public PerfEventAttr attr() {
            return attr.copy();
        }

        /**
         * The CPU of each ring.
         *
         * @return a copy, owned by the caller
         */
        @Override
        public int[] cpus() {
            return cpus.clone();
        }

        /**
         * The map slot of each ring.
         *
         * @return a copy, owned by the caller
         */
        @Override
        public int[] keys() {
            return keys.clone();
        }

        @Override
        public String toString() {
            return "RawRings[" + attr + ", cpus=" + Arrays.toString(cpus) + ", keys=" + Arrays.toString(keys) + "]";
        }
    }

    /**
     * Builds {@link PerfBufferOptions}; not thread-safe. Nothing is checked until {@link #build()}.
     *
     * @since 0.1
     */
    public static final class Builder {

        private int pages = DEFAULT_PAGES;
        /** Null until chosen: then {@link #build()} picks adaptive wakeups where they apply. */
        private Wakeup wakeup;
        private Duration latencyBound = DEFAULT_LATENCY_BOUND;
        private int maxSampleSize;
        private boolean overwritable;
        private PerfBufferListener listener = PerfBufferListener.NONE;
        private RawRings raw;

        private Builder() {
        }

        private Builder(PerfBufferOptions o) {
            pages = o.pages;
            wakeup = o.wakeup;
            latencyBound = o.latencyBound;
            maxSampleSize = o.maxSampleSize;
            overwritable = o.overwritable;
            listener = o.listener;
            raw = o.raw;
        }

        /**
         * Each ring's data area in pages; a power of two. The kernel charges the rings, plus a header page each, to
         * the locked-memory limit.
         *
         * @param pages pages per ring
         * @return this builder
         */
        public Builder pages(int pages) {
            this.pages = pages;
            return this;
        }

        /**
         * When the kernel wakes the reader.
         *
         * @param wakeup per sample, every N samples, at a watermark, or adaptive
         * @return this builder
         */
        public Builder wakeup(Wakeup wakeup) {
            this.wakeup = wakeup;
            return this;
        }

        /**
         * Look at every ring at least this often, whatever the wakeup threshold, so no record waits longer;
         * {@link Duration#ZERO} relies on wakeups alone (then a record below the threshold waits for more).
         *
         * @param bound the longest a record may wait, rounded up to whole milliseconds
         * @return this builder
         */
        public Builder latencyBound(Duration bound) {
            this.latencyBound = bound;
            return this;
        }

        /**
         * The largest sample the program writes, so rings too small for it are refused.
         *
         * @param bytes the largest sample's size, as the program passes it to bpf_perf_event_output
         * @return this builder
         */
        public Builder maxSampleSize(int bytes) {
            this.maxSampleSize = bytes;
            return this;
        }

        /**
         * Overwritable rings for flight-recorder use: the kernel writes backward and overwrites the oldest records
         * instead of dropping new ones (nothing is lost or counted), and {@link PerfBuffer#snapshot} reads the
         * newest records on demand. Such rings are read only by a {@link PerfBuffer}'s snapshots.
         *
         * @param on true for overwritable rings
         * @return this builder
         */
        public Builder overwritable(boolean on) {
            this.overwritable = on;
            return this;
        }

        /**
         * Tells {@code listener} when the rings open, change with CPU hotplug, and close.
         *
         * @param listener the listener, called on the rings' owning thread
         * @return this builder
         */
        public Builder listener(PerfBufferListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * The raw variant (libbpf's perf_buffer__new_raw): rings on exactly {@code cpus}, ring {@code i} stored in
         * map slot {@code keys[i]}, opened with a copy of {@code attr}. Records then reach raw readers with their
         * headers; the rings do not follow CPU hotplug.
         *
         * @param attr the perf_event_attr of every ring's event
         * @param cpus the CPU of each ring
         * @param keys the map slot of each ring
         * @return this builder
         * @throws IllegalArgumentException when the CPUs and keys do not pair up or a value is negative
         */
        public Builder raw(PerfEventAttr attr, int[] cpus, int[] keys) {
            this.raw = new RawRings(attr, cpus, keys);
            return this;
        }

        /**
         * The options, checked as a whole. Without a chosen wakeup, adaptive wakeups, or a quarter-ring watermark
         * where they do not apply.
         *
         * @return the options
         * @throws IllegalArgumentException naming the value that does not fit, and why
         */
        public PerfBufferOptions build() {
            Wakeup w = wakeup != null ? wakeup
                    : overwritable || raw != null || latencyBound.isZero() ? Wakeup.quarterRing() : Wakeup.adaptive();
            return new PerfBufferOptions(pages, w, latencyBound, maxSampleSize, overwritable, listener, raw);
        }
    }
}
