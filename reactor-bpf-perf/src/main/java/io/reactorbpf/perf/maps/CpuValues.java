package io.reactorbpf.perf.maps;

/**
 * How a snapshot gives a per-CPU map's values, which the kernel keeps one per possible CPU.
 *
 * @since 0.1
 */
public enum CpuValues {

    /**
     * One value per entry: the CPUs' values added integer by integer (other bytes from the first CPU whose bytes
     * there are not all zero). Needs the integers of the value known ({@link MapLayout#hasIntegers()}).
     */
    SUMMED,

    /** Each possible CPU's value, CPU 0 first. */
    PER_CPU
}
