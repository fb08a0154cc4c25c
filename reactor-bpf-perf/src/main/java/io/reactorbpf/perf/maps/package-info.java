/**
 * Maps as streams: many BPF programs keep their results in maps (counts, log2 histograms) that their user-space
 * tools read every interval. {@link io.reactorbpf.perf.maps.MapSnapshots} reads a map periodically as a
 * {@code Flux} of {@link io.reactorbpf.perf.maps.MapSnapshot}s, demand-driven; {@link io.reactorbpf.perf.maps.MapLayout}
 * reads the entries by the map's BTF (JSON, the histograms among a value's members) and
 * {@link io.reactorbpf.perf.maps.Histogram} prints a histogram as libbpf-tools do.
 */
package io.reactorbpf.perf.maps;
