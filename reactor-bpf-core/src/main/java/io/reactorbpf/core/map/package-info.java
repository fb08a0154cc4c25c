/**
 * BPF maps held open by this process: {@link io.reactorbpf.core.map.BpfMap} for element operations, iteration,
 * batches, freezing and pinning; {@link io.reactorbpf.core.map.MapView} and
 * {@link io.reactorbpf.core.map.ArrayMap} for typed access; {@link io.reactorbpf.core.map.MapBtf} for the BTF types
 * an object declared for a map's keys and values. All operations are thread-safe.
 */
package io.reactorbpf.core.map;
