/**
 * Attaching loaded BPF programs to kernel and user-space events, the way libbpf's
 * {@code bpf_program__attach_*} functions do: {@link io.reactorbpf.core.attach.Tracepoint},
 * {@link io.reactorbpf.core.attach.RawTracepoint}, {@link io.reactorbpf.core.attach.Tracing} (tp_btf, fentry,
 * fexit, fmod_ret, with {@link io.reactorbpf.core.attach.KernelBtfTarget} for the BTF id to load them with),
 * {@link io.reactorbpf.core.attach.Uprobe}, {@link io.reactorbpf.core.attach.Kprobe} and
 * {@link io.reactorbpf.core.attach.PerfEventAttach}. Every attachment is a
 * {@link io.reactorbpf.core.attach.BpfLink}; closing it detaches the program. Whether the kernel loads
 * fentry/fexit/fmod_ret programs at all is probed by {@link io.reactorbpf.core.attach.FunctionTracing}. Loaded
 * objects attach their programs by section name with {@code BpfProgram.attach()} and {@code BpfObject.attachAll()}.
 */
package io.reactorbpf.core.attach;
