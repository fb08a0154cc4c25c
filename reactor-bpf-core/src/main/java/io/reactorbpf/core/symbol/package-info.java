/**
 * Addresses turned into symbols, for stack traces a BPF program collected ({@code bpf_get_stackid} into a
 * {@code STACK_TRACE} map, see {@link io.reactorbpf.core.map.StackTraceMap}): kernel addresses by
 * {@link io.reactorbpf.core.symbol.Kallsyms} ({@code /proc/kallsyms}), a process's user addresses by
 * {@link io.reactorbpf.core.symbol.ProcessSymbols} (its mappings in {@code /proc/PID/maps} and the ELF symbols of
 * the files mapped), each giving a {@link io.reactorbpf.core.symbol.StackFrame}. Both are immutable snapshots, safe
 * to share between threads.
 */
package io.reactorbpf.core.symbol;
