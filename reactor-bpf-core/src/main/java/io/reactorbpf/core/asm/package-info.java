/**
 * BPF instructions in Java: {@link io.reactorbpf.core.asm.Instruction} encodes and decodes the kernel's
 * 8-byte {@code struct bpf_insn}, {@link io.reactorbpf.core.asm.Assembler} builds programs with named labels,
 * so tests and users can write small programs without clang and the loader can patch instructions.
 */
package io.reactorbpf.core.asm;
