// SPDX-License-Identifier: GPL-2.0
// sigsnoop: one event per signal the kernel generates (tracepoint signal/signal_generate), sent through a BPF ring
// buffer: who sent it, to whom, which signal and whether it was delivered. only_signal, set before load, keeps one
// signal number (0: all).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* The tracepoint's record, as /sys/kernel/tracing/events/signal/signal_generate/format lays it out. */
struct signal_generate_args {
	__u64 common;
	int sig;
	int errno_value;
	int code;
	char comm[16];
	int pid;
	int group;
	int result;
};

struct signal_event {
	__u32 sender_pid;
	__u32 target_pid;
	__s32 sig;
	__s32 result;
	char sender_comm[16];
	char target_comm[16];
};

/* Puts struct signal_event in the object's BTF for decoders: the ring buffer map names no value type. */
const struct signal_event *unused_signal_event __attribute__((unused));

const volatile __s32 only_signal = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("tracepoint/signal/signal_generate")
int sigsnoop(struct signal_generate_args *ctx)
{
	if (only_signal && ctx->sig != only_signal)
		return 0;
	struct signal_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->sender_pid = bpf_get_current_pid_tgid() >> 32;
	e->target_pid = ctx->pid;
	e->sig = ctx->sig;
	e->result = ctx->result;
	bpf_get_current_comm(&e->sender_comm, sizeof(e->sender_comm));
	bpf_probe_read_kernel(&e->target_comm, sizeof(e->target_comm), ctx->comm);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
